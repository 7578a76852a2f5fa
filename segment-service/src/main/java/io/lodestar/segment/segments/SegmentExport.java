package io.lodestar.segment.segments;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.util.UUID;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import io.lodestar.web.Csv;

/**
 * Streams a segment's members as CSV from a server-side cursor (memory stays flat
 * whatever the size). By default only members who granted marketing consent are exported
 * (profile-service's {@code profile.profile_consent}).
 */
@Component
class SegmentExport {

	private final NamedParameterJdbcTemplate streaming;

	SegmentExport(JdbcTemplate jdbc) {
		JdbcTemplate cursor = new JdbcTemplate(jdbc.getDataSource());
		cursor.setFetchSize(1000);
		this.streaming = new NamedParameterJdbcTemplate(cursor);
	}

	/**
	 * @return the members written
	 */
	@Transactional(readOnly = true)
	public long write(String workspace, UUID segment, boolean requireMarketingConsent, OutputStream out) {
		Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
		long[] rows = { 0 };
		try {
			writer.write("profileId,userId,email,enteredAt\r\n");
			String consent = requireMarketingConsent
					? " and exists (select 1 from profile.profile_consent c where c.workspace_id = m.workspace_id"
							+ " and c.profile_id = m.profile_id and c.purpose = 'marketing' and c.granted)"
					: "";
			this.streaming.query(
					"""
							select m.profile_id, p.user_id, p.traits ->> 'email' as email, m.entered_at
							  from segment.membership m
							  join profile.profile p on p.workspace_id = m.workspace_id and p.profile_id = m.profile_id
							 where m.segment_id = :segment and m.workspace_id = :workspace""" + consent
							+ " order by m.profile_id",
					new MapSqlParameterSource("segment", segment).addValue("workspace", workspace), (ResultSet row) -> {
						try {
							writer.write(Csv.cell(row.getString("profile_id")) + ","
									+ Csv.cell(row.getString("user_id")) + "," + Csv.cell(row.getString("email")) + ","
									+ Csv.cell(row.getTimestamp("entered_at").toInstant().toString()) + "\r\n");
						}
						catch (IOException ex) {
							throw new UncheckedIOException(ex);
						}
						rows[0]++;
					});
			writer.flush();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return rows[0];
	}

}
