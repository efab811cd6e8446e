package io.uffdgc.bench.report;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.Locale;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.BoxAndWhiskerRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.statistics.DefaultBoxAndWhiskerCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** Plots for the result files, drawn with JFreeChart (headless) into PNG images. */
public final class Charts {
    private Charts() {}

    /** Repeated measurements per category as box plots (median, quartiles, extremes). */
    public static JFreeChart boxes(String title, String yLabel, Map<String, List<Double>> values) {
        DefaultBoxAndWhiskerCategoryDataset ds = new DefaultBoxAndWhiskerCategoryDataset();
        values.forEach((k, v) -> ds.add(v, "measurements", k));
        JFreeChart c = ChartFactory.createBoxAndWhiskerChart(title, "mode", yLabel, ds, false);
        BoxAndWhiskerRenderer r = (BoxAndWhiskerRenderer) ((CategoryPlot) c.getPlot()).getRenderer();
        r.setMeanVisible(false);
        r.setMaximumBarWidth(0.15);
        return styled(c);
    }

    /**
     * Bars grouped by category (e.g. percentile), one colour per series (e.g. mode). On a
     * log axis (for values spanning decades, like latencies) bars start at floor, one tick
     * per decade; otherwise the axis is linear from zero.
     */
    public static JFreeChart groupedBars(String title, String yLabel, Map<String, Map<String, Double>> series,
                                         boolean log, double floor) {
        DefaultCategoryDataset ds = new DefaultCategoryDataset();
        series.forEach((s, cats) -> cats.forEach((cat, v) -> ds.addValue(log ? Math.max(v, floor) : v, s, cat)));
        JFreeChart c = ChartFactory.createBarChart(title, "", yLabel, ds, PlotOrientation.VERTICAL, true, false, false);
        if (log) {
            CategoryPlot p = (CategoryPlot) c.getPlot();
            LogAxis axis = new LogAxis(yLabel);
            axis.setAutoTickUnitSelection(false);
            axis.setTickUnit(new NumberTickUnit(1));                          // one tick per decade
            axis.setNumberFormatOverride(new DecimalFormat("0.##", DecimalFormatSymbols.getInstance(Locale.ROOT)));
            axis.setSmallestValue(floor);
            p.setRangeAxis(axis);
            ((BarRenderer) p.getRenderer()).setBase(floor);
        }
        return styled(c);
    }

    /** One line per series through (x, y) points. */
    public static JFreeChart lines(String title, String xLabel, String yLabel, Map<String, List<double[]>> series) {
        XYSeriesCollection ds = new XYSeriesCollection();
        series.forEach((name, pts) -> {
            XYSeries s = new XYSeries(name);
            for (double[] p : pts) s.add(p[0], p[1]);
            ds.addSeries(s);
        });
        JFreeChart c = ChartFactory.createXYLineChart(title, xLabel, yLabel, ds, PlotOrientation.VERTICAL, true,
                false, false);
        ((XYPlot) c.getPlot()).setRenderer(new XYLineAndShapeRenderer(true, true));
        return styled(c);
    }

    /**
     * MMU curves: one line per series through (window ms, utilization) points, the window
     * on a log axis (the curve spans decades), utilization from 0 to 1.
     */
    public static JFreeChart mmu(String title, Map<String, List<double[]>> series) {
        JFreeChart c = lines(title, "window (ms)", "minimum mutator utilization", series);
        XYPlot p = (XYPlot) c.getPlot();
        LogAxis x = new LogAxis("window (ms)");
        x.setAutoTickUnitSelection(false);
        x.setTickUnit(new NumberTickUnit(1));                                 // one tick per decade
        x.setNumberFormatOverride(new DecimalFormat("0.##", DecimalFormatSymbols.getInstance(Locale.ROOT)));
        p.setDomainAxis(x);
        p.getRangeAxis().setRange(0, 1.02);
        return c;
    }

    /** Writes the charts side by side into one PNG. */
    /**
     * A timeline: lanes top to bottom, each series a colour, each span {startMs, endMs, lane}.
     * A span too short to see at the plot's scale is still drawn one pixel wide.
     */
    public static JFreeChart timeline(String title, List<String> lanes, Map<String, List<double[]>> series) {
        org.jfree.data.xy.XYIntervalSeriesCollection data = new org.jfree.data.xy.XYIntervalSeriesCollection();
        for (var e : series.entrySet()) {
            org.jfree.data.xy.XYIntervalSeries s = new org.jfree.data.xy.XYIntervalSeries(e.getKey());
            for (double[] span : e.getValue()) s.add(span[0], span[0], span[1], span[2], span[2] - 0.35, span[2] + 0.35);
            data.addSeries(s);
        }
        org.jfree.chart.renderer.xy.XYBarRenderer r = new org.jfree.chart.renderer.xy.XYBarRenderer();
        r.setUseYInterval(true);
        r.setShadowVisible(false);
        r.setBarPainter(new org.jfree.chart.renderer.xy.StandardXYBarPainter());
        r.setMargin(0);
        r.setDrawBarOutline(true);
        r.setDefaultOutlineStroke(new java.awt.BasicStroke(0.6f));
        for (int i = 0; i < series.size(); i++) r.setSeriesOutlinePaint(i, r.lookupSeriesPaint(i));
        org.jfree.chart.axis.NumberAxis x = new org.jfree.chart.axis.NumberAxis("ms");
        org.jfree.chart.axis.SymbolAxis y = new org.jfree.chart.axis.SymbolAxis(null, lanes.toArray(String[]::new));
        y.setInverted(true);
        y.setGridBandsVisible(false);
        XYPlot plot = new XYPlot(data, x, y, r);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        return chart;
    }

    public static void writePng(Path file, int width, int height, JFreeChart... charts) throws IOException {
        BufferedImage img = new BufferedImage(width * charts.length, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        for (int i = 0; i < charts.length; i++)
            charts[i].draw(g, new Rectangle2D.Double((double) i * width, 0, width, height));
        g.dispose();
        if (file.getParent() != null) Files.createDirectories(file.getParent());
        ImageIO.write(img, "png", file.toFile());
    }

    private static JFreeChart styled(JFreeChart c) {
        c.setBackgroundPaint(Color.WHITE);
        c.getPlot().setBackgroundPaint(new Color(0xF7F7F7));
        return c;
    }
}
