package dev.strata.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.TestTrees;
import dev.strata.model.ClusterTree;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The page's content, as text: the marks each chart must hold, and nothing fetched from anywhere. */
class ReportPageTest {
    static ClusterTree tree() {
        int leaves = 30;
        int tops = 6;
        int[] parent = new int[leaves];
        long[] size = new long[leaves];
        for (int i = 0; i < leaves; i++) {
            parent[i] = i % tops;
            size[i] = i == 7 ? 0 : 1 + (long) (1000 / Math.pow(i + 1, 1.3)); // long-tailed, one empty leaf
        }
        return TestTrees.twoLevel(8, parent, size, tops, 11);
    }

    static int count(String html, String regex) {
        Matcher m = Pattern.compile(regex).matcher(html);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    @Test
    void withASelectionEveryChartHasItsMarks() {
        ClusterTree tree = tree();
        long[] after = {50, 50, 50, 50, 40, 30};
        String html = ReportPage.render(BalanceReport.of(tree, "t.model", null, null, after, "keep.txt"));
        assertEquals(2, count(html, "<polyline class=\"level-curve\""), "one curve per level");
        assertTrue(
                html.contains("data-level=\"1\" data-clusters=\"30\" data-points=\"29\""),
                "the empty leaf has no point on a log axis");
        assertTrue(html.contains("1 empty"), "the legend says a leaf is empty");
        assertEquals(6, count(html, "<rect class=\"share-before\""));
        assertEquals(6, count(html, "<rect class=\"share-after\""));
        assertEquals(6, count(html, "<circle class=\"centroid\""));
        assertTrue(html.contains("keep.txt</td><td class=\"num\">270</td>"), "the summary counts the selection");
    }

    @Test
    void withoutASelectionOnlyTheBeforeBars() {
        String html = ReportPage.render(BalanceReport.of(tree(), "t.model", null, null, null, null));
        assertEquals(6, count(html, "<rect class=\"share-before\""));
        assertEquals(0, count(html, "<rect class=\"share-after\""));
        assertTrue(html.contains("pool (model)"));
    }

    @Test
    void thePageFetchesNothing() {
        String html = ReportPage.render(BalanceReport.of(tree(), "<b>&model</b>", null, null, null, null));
        assertFalse(html.contains("<script"), "no script");
        assertFalse(Pattern.compile("\\s(src|href)=").matcher(html).find(), "no src or href: nothing is loaded");
        assertFalse(html.contains("url(") || html.contains("@import"), "no stylesheet or font fetched");
        assertEquals(
                count(html, "xmlns=\"http://www.w3.org/2000/svg\""),
                count(html, "http"),
                "the SVG namespace is the only URL on the page");
        assertTrue(html.contains("&lt;b&gt;&amp;model&lt;/b&gt;") && !html.contains("<b>&model"), "names are escaped");
    }

    @Test
    void manyTopClustersDrawTheLargestHundred() {
        int tops = 150;
        int[] parent = new int[tops];
        long[] size = new long[tops];
        for (int i = 0; i < tops; i++) {
            parent[i] = i;
            size[i] = 1 + i;
        }
        ClusterTree big = TestTrees.twoLevel(4, parent, size, tops, 3);
        String html = ReportPage.render(BalanceReport.of(big, "big", null, null, null, null));
        assertEquals(ShareChart.MAX_BARS, count(html, "<rect class=\"share-before\""));
        assertTrue(html.contains("the largest 100 of 150"), "the caption says bars were left out");
        assertEquals(tops, count(html, "<circle class=\"centroid\""), "the map shows every top cluster");
    }
}
