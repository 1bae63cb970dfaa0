package mnistxent.report;

/**
 * Where a {@link Panel} puts its legend: inside a corner of the plot (pick the corner the curves
 * leave free: top right for falling costs, bottom right for rising accuracies) or below it.
 */
public enum LegendPlacement {
    INSIDE_TOP_RIGHT,
    INSIDE_TOP_LEFT,
    INSIDE_BOTTOM_RIGHT,
    INSIDE_BOTTOM_LEFT,
    BELOW,
    /** No legend: for a panel that repeats the series of a neighbour that has one (e.g. a zoom). */
    NONE
}
