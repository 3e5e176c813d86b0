package dev.strata.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report in a real browser: Chromium parses it into the expected SVG marks and paints them. */
class ReportBrowserIT {
    @TempDir
    Path dir;

    @Test
    void chromiumRendersEveryChart() throws Exception {
        Optional<HeadlessChromium> chromium = HeadlessChromium.find();
        assumeTrue(chromium.isPresent(), HeadlessChromium.MISSING);
        long[] after = {50, 50, 50, 50, 40, 30};
        Path page = dir.resolve("report.html");
        ReportPage.write(BalanceReport.of(ReportPageTest.tree(), "t.model", null, null, after, "keep.txt"), page);

        String dom = chromium.get().dumpDom(page, dir);
        // the browser's own serialisation: elements it parsed into the SVG namespace, attributes as it kept them
        assertEquals(3, ReportPageTest.count(dom, "<svg [^>]*xmlns=\"http://www.w3.org/2000/svg\""), "three charts");
        assertEquals(2, ReportPageTest.count(dom, "<polyline class=\"level-curve\""), "one curve per level");
        assertEquals(6, ReportPageTest.count(dom, "<rect class=\"share-before\""));
        assertEquals(6, ReportPageTest.count(dom, "<rect class=\"share-after\""));
        assertEquals(6, ReportPageTest.count(dom, "<circle class=\"centroid\""));

        Path png = dir.resolve("report.png");
        chromium.get().screenshot(page, png, 980, 1900, dir);
        BufferedImage img = ImageIO.read(png.toFile());
        // the bars are painted in their colours: the after bars in AFTER, the before bars in BEFORE
        assertTrue(pixels(img, Svg.AFTER) > 1000, "after bars painted: " + pixels(img, Svg.AFTER) + " pixels");
        assertTrue(pixels(img, Svg.BEFORE) > 1000, "before bars painted: " + pixels(img, Svg.BEFORE) + " pixels");
    }

    /** Pixels within a small distance of {@code hex} (anti-aliasing blurs edges, not bar interiors). */
    private static int pixels(BufferedImage img, String hex) {
        int want = Integer.parseInt(hex.substring(1), 16);
        int n = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int rgb = img.getRGB(x, y);
                int dr = ((rgb >> 16) & 0xff) - ((want >> 16) & 0xff);
                int dg = ((rgb >> 8) & 0xff) - ((want >> 8) & 0xff);
                int db = (rgb & 0xff) - (want & 0xff);
                if (Math.abs(dr) + Math.abs(dg) + Math.abs(db) <= 6) {
                    n++;
                }
            }
        }
        return n;
    }
}
