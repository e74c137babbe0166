package dev.posture.report;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReportFormatTest {

    @Test
    void parsesNamesAndBuildsWriters() {
        assertThat(ReportFormat.parse("SARIF")).isEqualTo(ReportFormat.SARIF);
        assertThat(ReportFormat.parse(" json ")).isEqualTo(ReportFormat.JSON);
        assertThat(ReportFormat.TABLE.writer()).isInstanceOf(TableReportWriter.class);
        assertThat(ReportFormat.JSON.writer()).isInstanceOf(JsonReportWriter.class);
        assertThat(ReportFormat.SARIF.writer(ReportOptions.defaults().withColor(true)))
                .isInstanceOf(SarifReportWriter.class);
        assertThat(ReportFormat.SARIF.fileExtension()).isEqualTo("sarif");
        assertThat(ReportFormat.parse("Markdown").writer()).isInstanceOf(MarkdownReportWriter.class);
        assertThat(ReportFormat.parse("junit").writer()).isInstanceOf(JunitReportWriter.class);
        assertThat(ReportFormat.MARKDOWN.fileExtension()).isEqualTo("md");
        assertThat(ReportFormat.JUNIT.fileExtension()).isEqualTo("xml");
        assertThat(ReportFormat.parse("HTML").writer()).isInstanceOf(HtmlReportWriter.class);
        assertThat(ReportFormat.HTML.fileExtension()).isEqualTo("html");
        assertThatThrownBy(() -> ReportFormat.parse("pdf"))
                .hasMessageContaining("table, json, sarif, markdown, junit, html");
    }

    @Test
    void tableOptionsReachTheWriter() {
        String plain = ReportFormat.TABLE.writer(ReportOptions.defaults()).writeToString(ReportFixtures.full());
        String colour = ReportFormat.TABLE.writer(ReportOptions.defaults().withColor(true))
                .writeToString(ReportFixtures.full());
        assertThat(plain).doesNotContain("\u001b[");
        assertThat(colour).contains("\u001b[");
    }
}
