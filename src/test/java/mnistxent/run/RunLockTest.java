package mnistxent.run;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One process at a time in a run directory; a lock left by a process that is gone is taken over. */
class RunLockTest {

    @TempDir
    Path dir;

    @Test
    void theOwnerIsNamedInTheLockFileUntilItReleases() throws Exception {
        RunLock.acquire(dir);
        try {
            assertTrue(RunLock.holds(dir));
            assertEquals(ProcessHandle.current().pid() + "\n", Files.readString(dir.resolve(RunLock.FILE)));
            RunLock.Busy busy = assertThrows(RunLock.Busy.class, () -> RunLock.acquire(dir));
            assertEquals(OptionalLong.of(ProcessHandle.current().pid()), busy.owner());
            assertTrue(busy.getMessage().endsWith("is in use by another run of this process"), busy.getMessage());
        } finally {
            RunLock.release(dir);
        }
        assertFalse(RunLock.holds(dir));
        assertEquals("", Files.readString(dir.resolve(RunLock.FILE)), "released: the file names no one");
        RunLock.acquire(dir);       // and it can be taken again
        RunLock.release(dir);
    }

    @Test
    void aLockFileNamingAProcessThatHoldsNoLockIsStaleAndTakenOver() throws Exception {
        // What kill -9 leaves: the file names the dead owner, and the operating system's lock died with it.
        Files.writeString(dir.resolve(RunLock.FILE), "2147483000\n");
        RunLock.acquire(dir);
        try {
            assertEquals(ProcessHandle.current().pid() + "\n", Files.readString(dir.resolve(RunLock.FILE)));
        } finally {
            RunLock.release(dir);
        }
    }

    @Test
    void creatingAndOwningARunDirectoryTakesItsLock() throws Exception {
        RunDirectory run = RunDirectory.createAt(dir.resolve("run"), mnistxent.train.TrainingFixtures.config(1, 1, 10, dir));
        try {
            assertTrue(RunLock.holds(run.path()));
            assertThrows(RunLock.Busy.class, () -> RunDirectory.own(run.path()));
        } finally {
            run.release();
        }
        RunDirectory again = RunDirectory.own(run.path());
        again.release();
        assertFalse(RunLock.holds(run.path()));
    }
}
