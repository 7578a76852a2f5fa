package io.lodestar.ingestion.connector;

import java.io.IOException;
import java.io.StringReader;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class CsvTest {

	@Test
	void readsQuotedDelimitersDoubledQuotesLineBreaksAndCrLf() throws IOException {
		Csv reader = new Csv(new StringReader("a,b,c\r\n1,\"x, y\",\"say \"\"hi\"\"\"\n2,\"two\nlines\",\n3,,last"),
				',');

		assertThat(reader.next()).containsExactly("a", "b", "c");
		assertThat(reader.next()).containsExactly("1", "x, y", "say \"hi\"");
		assertThat(reader.recordLine()).isEqualTo(2);
		assertThat(reader.raw()).isEqualTo("1,\"x, y\",\"say \"\"hi\"\"\"");
		assertThat(reader.next()).containsExactly("2", "two\nlines", "");
		assertThat(reader.recordLine()).isEqualTo(3);
		assertThat(reader.next()).containsExactly("3", "", "last");
		assertThat(reader.recordLine()).isEqualTo(5);
		assertThat(reader.next()).isNull();
	}

	@Test
	void otherDelimitersAndAQuoteThatNeverCloses() throws IOException {
		Csv semicolons = new Csv(new StringReader("a;b\n1;2\n"), ';');
		assertThat(semicolons.next()).isEqualTo(List.of("a", "b"));
		assertThat(semicolons.next()).isEqualTo(List.of("1", "2"));
		assertThat(semicolons.next()).isNull();

		Csv open = new Csv(new StringReader("1,\"never"), ',');
		assertThatIllegalArgumentException().isThrownBy(open::next).withMessageContaining("line 1 never closes");
	}

}
