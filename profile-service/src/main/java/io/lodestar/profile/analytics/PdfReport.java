package io.lodestar.profile.analytics;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;

/**
 * An analytics answer as a printable PDF (A4 landscape): a title, what was asked, an
 * optional bar chart of one column, and the table, its header repeated on every page.
 * Text the standard fonts cannot show is replaced by '?'.
 */
final class PdfReport {

	private static final float MARGIN = 36;

	private static final float ROW = 13;

	private static final int MAX_CELL = 60;

	private static final PDType1Font REGULAR = new PDType1Font(Standard14Fonts.FontName.HELVETICA);

	private static final PDType1Font BOLD = new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD);

	private PdfReport() {
	}

	/**
	 * A bar chart of one numeric column against a label column.
	 *
	 * @param label the column of the bars' labels
	 * @param value the column of their lengths
	 */
	record Bars(String label, String value) {
	}

	/**
	 * @param title the report's title
	 * @param lines what was asked (range, parameters)
	 * @param table the answer
	 * @param bars a chart of the table's first 20 rows, or null
	 * @return the PDF's bytes
	 */
	static byte[] render(String title, List<String> lines, Table table, Bars bars) {
		try (PDDocument document = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
			document.getDocumentInformation().setTitle(safe(title));
			document.getDocumentInformation().setCreator("Lodestar");
			new Writer(document, table).write(title, lines, bars);
			document.save(out);
			return out.toByteArray();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Lays the content out over as many pages as it needs. */
	private static final class Writer {

		private final PDDocument document;

		private final Table table;

		private final float[] widths;

		private PDPageContentStream content;

		private float y;

		private int pages;

		Writer(PDDocument document, Table table) {
			this.document = document;
			this.table = table;
			this.widths = widths(table);
		}

		void write(String title, List<String> lines, Bars bars) throws IOException {
			newPage();
			text(BOLD, 16, MARGIN, this.y, title);
			this.y -= 20;
			for (String line : lines) {
				text(REGULAR, 9, MARGIN, this.y, line);
				this.y -= 12;
			}
			this.y -= 8;
			if (bars != null) {
				chart(bars);
			}
			header();
			for (List<Object> row : this.table.rows()) {
				if (this.y < MARGIN + ROW) {
					newPage();
					header();
				}
				cells(REGULAR, row);
			}
			if (this.table.rows().isEmpty()) {
				text(REGULAR, 9, MARGIN, this.y, "No data in this range.");
			}
			this.content.close();
		}

		private void chart(Bars bars) throws IOException {
			int labelColumn = this.table.columns().indexOf(bars.label());
			int valueColumn = this.table.columns().indexOf(bars.value());
			if (labelColumn < 0 || valueColumn < 0 || this.table.rows().isEmpty()) {
				return;
			}
			List<List<Object>> rows = this.table.rows().subList(0, Math.min(20, this.table.rows().size()));
			double max = 0;
			for (List<Object> row : rows) {
				max = Math.max(max, number(row.get(valueColumn)));
			}
			float width = width() - 160;
			text(BOLD, 9, MARGIN, this.y, bars.value() + " by " + bars.label());
			this.y -= 12;
			for (List<Object> row : rows) {
				double value = number(row.get(valueColumn));
				float length = (max > 0) ? (float) (value / max * width) : 0;
				text(REGULAR, 7, MARGIN, this.y + 1, clip(String.valueOf(row.get(labelColumn)), 24));
				this.content.setNonStrokingColor(0.22f, 0.45f, 0.78f);
				this.content.addRect(MARGIN + 110, this.y, Math.max(length, 0.5f), 8);
				this.content.fill();
				this.content.setNonStrokingColor(0f, 0f, 0f);
				text(REGULAR, 7, MARGIN + 114 + length, this.y + 1, format(row.get(valueColumn)));
				this.y -= 10;
			}
			this.y -= 12;
		}

		private void header() throws IOException {
			this.content.setNonStrokingColor(0.92f, 0.93f, 0.96f);
			this.content.addRect(MARGIN, this.y - 3, width(), ROW);
			this.content.fill();
			this.content.setNonStrokingColor(0f, 0f, 0f);
			cells(BOLD, new ArrayList<>(this.table.columns()));
		}

		private void cells(PDType1Font font, List<?> row) throws IOException {
			float x = MARGIN;
			for (int i = 0; i < this.widths.length; i++) {
				Object cell = (i < row.size()) ? row.get(i) : null;
				String text = clip(format(cell), Math.max(4, (int) (this.widths[i] / 4.2f)));
				text(font, 8, x + 2, this.y, text);
				x += this.widths[i];
			}
			this.y -= ROW;
		}

		private void newPage() throws IOException {
			if (this.content != null) {
				this.content.close();
			}
			PDPage page = new PDPage(new PDRectangle(PDRectangle.A4.getHeight(), PDRectangle.A4.getWidth()));
			this.document.addPage(page);
			this.pages++;
			this.content = new PDPageContentStream(this.document, page);
			text(REGULAR, 7, MARGIN, MARGIN / 2, "Lodestar · page " + this.pages);
			this.y = page.getMediaBox().getHeight() - MARGIN;
		}

		private void text(PDType1Font font, float size, float x, float y, String value) throws IOException {
			this.content.beginText();
			this.content.setFont(font, size);
			this.content.newLineAtOffset(x, y);
			this.content.showText(safe(value));
			this.content.endText();
		}

		private float width() {
			return PDRectangle.A4.getHeight() - 2 * MARGIN;
		}

		private static float[] widths(Table table) {
			int columns = table.columns().size();
			float[] weights = new float[columns];
			for (int i = 0; i < columns; i++) {
				weights[i] = Math.min(MAX_CELL, table.columns().get(i).length());
			}
			for (List<Object> row : table.rows().subList(0, Math.min(200, table.rows().size()))) {
				for (int i = 0; i < columns && i < row.size(); i++) {
					weights[i] = Math.max(weights[i], Math.min(MAX_CELL, format(row.get(i)).length()));
				}
			}
			float total = 0;
			for (float weight : weights) {
				total += Math.max(weight, 4);
			}
			float[] widths = new float[columns];
			float available = PDRectangle.A4.getHeight() - 2 * MARGIN;
			for (int i = 0; i < columns; i++) {
				widths[i] = Math.max(weights[i], 4) / total * available;
			}
			return widths;
		}

	}

	static String format(Object value) {
		if (value == null) {
			return "";
		}
		if (value instanceof Double || value instanceof Float) {
			double number = ((Number) value).doubleValue();
			return (Math.abs(number) < 10 && number != Math.rint(number)) ? String.format(Locale.ROOT, "%.4f", number)
					: String.format(Locale.ROOT, "%,.2f", number);
		}
		return String.valueOf(value);
	}

	private static double number(Object value) {
		if (value instanceof Number number) {
			return number.doubleValue();
		}
		try {
			return Double.parseDouble(String.valueOf(value));
		}
		catch (NumberFormatException ex) {
			return 0;
		}
	}

	private static String clip(String value, int max) {
		return (value.length() <= max) ? value : value.substring(0, max - 1) + "…";
	}

	/** Only what WinAnsi (the standard fonts' encoding) holds; the rest becomes '?'. */
	static String safe(String value) {
		StringBuilder text = new StringBuilder(value.length());
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			boolean shown = (c >= 0x20 && c < 0x7f) || (c >= 0xa0 && c <= 0xff) || "€…–—‘’“”•·".indexOf(c) >= 0;
			text.append(shown ? c : '?');
		}
		return text.toString();
	}

}
