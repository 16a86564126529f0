// Draws a simple multi-series line chart as inline SVG, so the HTML report needs no JavaScript or CDN.
package io.pgmux.loadtest.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A line chart with linear axes starting at zero, a legend, and gaps where a value is NaN. */
final class SvgChart {
    private static final int WIDTH = 760;
    private static final int HEIGHT = 260;
    private static final int LEFT = 60;
    private static final int RIGHT = 150;
    private static final int TOP = 28;
    private static final int BOTTOM = 36;
    private static final String[] PALETTE = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b",
        "#e377c2", "#17becf"};

    /** One line: x and y values of equal length; {@code dashed} distinguishes e.g. a percentile or a series kind. */
    record Series(String name, double[] xs, double[] ys, boolean dashed) {
    }

    private SvgChart() {
    }

    static String render(String title, String xLabel, String yLabel, List<Series> series) {
        double stepX = niceStep(max(series, true));
        double stepY = niceStep(max(series, false));
        double maxX = stepX * Math.max(1, Math.ceil(max(series, true) / stepX - 1e-9));
        double maxY = stepY * Math.max(1, Math.ceil(max(series, false) / stepY - 1e-9));
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"11\">%n", WIDTH, HEIGHT, WIDTH, HEIGHT));
        svg.append(text(LEFT, 16, title, "font-size=\"13\" font-weight=\"bold\""));
        axes(svg, maxX, stepX, maxY, stepY, xLabel, yLabel);
        for (int i = 0; i < series.size(); i++) {
            line(svg, series.get(i), PALETTE[i % PALETTE.length], maxX, maxY);
            legend(svg, series.get(i), PALETTE[i % PALETTE.length], i);
        }
        if (allEmpty(series)) {
            svg.append(text(LEFT + 20, TOP + 40, "no data", "fill=\"#888\""));
        }
        return svg.append("</svg>\n").toString();
    }

    private static void axes(StringBuilder svg, double maxX, double stepX, double maxY, double stepY,
                             String xLabel, String yLabel) {
        int plotW = WIDTH - LEFT - RIGHT;
        int plotH = HEIGHT - TOP - BOTTOM;
        svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" "
                + "stroke=\"#999\"/>%n", LEFT, TOP, plotW, plotH));
        // Bounded: the maxima are whole multiples of their steps, at most about six of them.
        for (int i = 0; i * stepY <= maxY + 1e-9 && i <= 20; i++) {
            double y = TOP + plotH - plotH * (i * stepY) / maxY;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#eee\"/>%n",
                    LEFT, y, LEFT + plotW, y));
            svg.append(text(LEFT - 6, y + 4, label(i * stepY), "text-anchor=\"end\""));
        }
        for (int i = 0; i * stepX <= maxX + 1e-9 && i <= 20; i++) {
            double x = LEFT + plotW * (i * stepX) / maxX;
            svg.append(text(x, TOP + plotH + 14, label(i * stepX), "text-anchor=\"middle\""));
        }
        svg.append(text(LEFT + plotW / 2.0, HEIGHT - 6, xLabel, "text-anchor=\"middle\""));
        svg.append(text(14, TOP + plotH / 2.0, yLabel, String.format(Locale.ROOT,
                "text-anchor=\"middle\" transform=\"rotate(-90 14 %.1f)\"", TOP + plotH / 2.0)));
    }

    private static void line(StringBuilder svg, Series s, String color, double maxX, double maxY) {
        int plotW = WIDTH - LEFT - RIGHT;
        int plotH = HEIGHT - TOP - BOTTOM;
        List<String> segments = new ArrayList<>();
        StringBuilder path = new StringBuilder();
        for (int i = 0; i < s.xs().length; i++) {
            if (Double.isNaN(s.ys()[i])) {
                if (path.length() > 0) {
                    segments.add(path.toString());
                    path.setLength(0);
                }
                continue;
            }
            double x = LEFT + (maxX == 0 ? 0 : s.xs()[i] / maxX * plotW);
            double y = TOP + plotH - (maxY == 0 ? 0 : s.ys()[i] / maxY * plotH);
            path.append(path.length() == 0 ? "M" : " L").append(String.format(Locale.ROOT, "%.1f %.1f", x, y));
        }
        if (path.length() > 0) {
            segments.add(path.toString());
        }
        String dash = s.dashed() ? " stroke-dasharray=\"5 3\"" : "";
        for (String d : segments) {
            svg.append(String.format(Locale.ROOT, "<path d=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"1.6\"%s/>%n",
                    d, color, dash));
        }
    }

    private static void legend(StringBuilder svg, Series s, String color, int index) {
        int x = WIDTH - RIGHT + 10;
        int y = TOP + 10 + index * 16;
        String dash = s.dashed() ? " stroke-dasharray=\"5 3\"" : "";
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" "
                + "stroke-width=\"2\"%s/>%n", x, y - 4, x + 18, y - 4, color, dash));
        svg.append(text(x + 22, y, s.name(), ""));
    }

    private static double max(List<Series> series, boolean xs) {
        double max = 0;
        for (Series s : series) {
            for (double v : xs ? s.xs() : s.ys()) {
                if (!Double.isNaN(v)) {
                    max = Math.max(max, v);
                }
            }
        }
        return max;
    }

    private static boolean allEmpty(List<Series> series) {
        return series.stream().allMatch(s -> s.xs().length == 0);
    }

    /** A round axis step (1, 2 or 5 times a power of ten) giving at most five intervals up to {@code max}. */
    static double niceStep(double max) {
        if (!(max > 0)) {
            return 1;
        }
        double magnitude = Math.pow(10, Math.floor(Math.log10(max / 5)));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (max / (m * magnitude) <= 5) {
                return m * magnitude;
            }
        }
        return 10 * magnitude;
    }

    private static String label(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.2g", v);
    }

    private static String text(double x, double y, String content, String attributes) {
        return String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" %s>%s</text>%n", x, y, attributes,
                Html.escape(content));
    }
}
