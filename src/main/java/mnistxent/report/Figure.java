package mnistxent.report;

import java.util.List;
import java.util.Objects;

/**
 * Several {@link Panel}s laid out in a grid ({@code columns} wide, filled row by row) under an
 * optional figure title, rendered to one PNG by {@link Charts}. Sizes are in pixels per panel.
 */
public record Figure(String title, List<Panel> panels, int columns, int panelWidth, int panelHeight) {

    /** Wide enough that two panels side by side make a ~1200 px image, readable at 100% zoom. */
    public static final int DEFAULT_PANEL_WIDTH = 600;
    public static final int DEFAULT_PANEL_HEIGHT = 450;

    public Figure {
        Objects.requireNonNull(title, "title (use \"\" for none)");
        panels = List.copyOf(panels);
        if (panels.isEmpty()) {
            throw new IllegalArgumentException("a figure needs at least one panel");
        }
        if (columns < 1) {
            throw new IllegalArgumentException("columns must be >= 1, got " + columns);
        }
        if (panelWidth < 200 || panelHeight < 150) {
            throw new IllegalArgumentException("panels must be at least 200x150 px to stay readable, got "
                    + panelWidth + "x" + panelHeight);
        }
    }

    /** All panels in one row, at the default panel size. */
    public static Figure row(String title, List<Panel> panels) {
        return new Figure(title, panels, panels.size(), DEFAULT_PANEL_WIDTH, DEFAULT_PANEL_HEIGHT);
    }

    public int rows() {
        return (panels.size() + columns - 1) / columns;
    }

    /** Columns actually used: a single row of 2 panels in a 3-column figure is 2 panels wide. */
    public int usedColumns() {
        return Math.min(columns, panels.size());
    }

    public boolean hasTitle() {
        return !title.isBlank();
    }
}
