package mnistxent.io;

import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Run in a child JVM by AtomicFilesTest: holds a lock on a part file, as a concurrent fetch would. */
public final class PartFileLockHolder {

    private PartFileLockHolder() {
    }

    public static void main(String[] args) throws Exception {
        try (FileChannel ch = FileChannel.open(Path.of(args[0]), StandardOpenOption.WRITE);
             FileLock ignored = ch.lock()) {
            System.out.println("locked");
            System.out.flush();
            System.in.read(); // hold the lock until the parent closes our stdin
        }
    }
}
