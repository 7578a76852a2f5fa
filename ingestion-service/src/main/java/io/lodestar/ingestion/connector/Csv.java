package io.lodestar.ingestion.connector;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * RFC 4180 records from a reader: quoted fields may hold the delimiter, doubled quotes
 * and line breaks; CR LF or LF ends a record. Tracks the line a record started on for
 * error messages. Not thread-safe; one per file.
 */
public final class Csv {

	private final Reader in;

	private final char delimiter;

	private final char[] buffer = new char[64 * 1024];

	private final StringBuilder field = new StringBuilder(64);

	private final StringBuilder raw = new StringBuilder(256);

	private int position;

	private int limit;

	private long line = 1;

	private long recordLine;

	private boolean eof;

	/**
	 * @param in the text
	 * @param delimiter the field delimiter
	 */
	public Csv(Reader in, char delimiter) {
		this.in = in;
		this.delimiter = delimiter;
	}

	/**
	 * @return the next record's fields, or null at the end
	 * @throws IOException on a read error
	 * @throws IllegalArgumentException on a quote that never closes
	 */
	public List<String> next() throws IOException {
		this.raw.setLength(0);
		if (!fill()) {
			return null;
		}
		this.recordLine = this.line;
		List<String> fields = new ArrayList<>(16);
		this.field.setLength(0);
		boolean quoted = false;
		boolean wasQuoted = false;
		while (true) {
			if (!fill()) {
				if (quoted) {
					throw new IllegalArgumentException(
							"a quoted field opened on line " + this.recordLine + " never closes");
				}
				fields.add(this.field.toString());
				return fields;
			}
			if (!quoted) {
				// fast path: copy the run of ordinary characters up to the next special
				// one
				int start = this.position;
				int end = start;
				while (end < this.limit) {
					char d = this.buffer[end];
					if (d == this.delimiter || d == '\n' || d == '\r' || d == '"') {
						break;
					}
					end++;
				}
				if (end > start) {
					this.field.append(this.buffer, start, end - start);
					this.raw.append(this.buffer, start, end - start);
					this.position = end;
					continue;
				}
			}
			char c = this.buffer[this.position++];
			this.raw.append(c);
			if (quoted) {
				if (c == '"') {
					if (fill() && this.buffer[this.position] == '"') {
						this.field.append('"');
						this.raw.append('"');
						this.position++;
					}
					else {
						quoted = false;
					}
				}
				else {
					if (c == '\n') {
						this.line++;
					}
					this.field.append(c);
				}
			}
			else if (c == this.delimiter) {
				fields.add(this.field.toString());
				this.field.setLength(0);
				wasQuoted = false;
			}
			else if (c == '\n') {
				this.line++;
				this.raw.setLength(this.raw.length() - 1);
				fields.add(this.field.toString());
				return fields;
			}
			else if (c == '\r') {
				this.raw.setLength(this.raw.length() - 1);
			}
			else if (c == '"' && this.field.isEmpty() && !wasQuoted) {
				quoted = true;
				wasQuoted = true;
			}
			else {
				this.field.append(c);
			}
		}
	}

	/**
	 * @return the 1-based line the last record started on
	 */
	public long recordLine() {
		return this.recordLine;
	}

	/**
	 * @return the last record as it stood in the file, without its line break
	 */
	public String raw() {
		return this.raw.toString();
	}

	private boolean fill() throws IOException {
		if (this.position < this.limit) {
			return true;
		}
		if (this.eof) {
			return false;
		}
		int read = this.in.read(this.buffer, 0, this.buffer.length);
		if (read <= 0) {
			this.eof = true;
			return false;
		}
		this.position = 0;
		this.limit = read;
		return true;
	}

}
