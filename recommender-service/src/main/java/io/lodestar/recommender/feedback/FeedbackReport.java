package io.lodestar.recommender.feedback;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonProperty;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

import io.lodestar.recommender.system.RecommenderProperties;

/**
 * Click-through and conversion per model version, computed from the answers logged and
 * the events the website sent back (in {@code profile.profile_event}):
 * <ul>
 * <li>an answer is <em>shown</em> when a track {@code Product List Viewed} carries its
 * {@code recommendation_id}; the items shown are the event's {@code products[]} that the
 * answer held (all its items when the event lists none);</li>
 * <li>a <em>click</em> is a track {@code Product Clicked} with the
 * {@code recommendation_id} and a shown {@code product_id};</li>
 * <li>a <em>purchase</em> is an {@code Order Completed} by the profile that saw the
 * impression, within {@code attribution-window} after it, whose {@code products[]} holds
 * a shown item.</li>
 * </ul>
 * Answer-level counts (answers shown, answers with a click, answers followed by a
 * purchase) give the rates; item-level counts are given too.
 */
@Service
public class FeedbackReport {

	private static final String SQL = """
			with served as (
			  select l.recommendation_id, l.version_id, l.items, l.served_at
			    from recommender.recommendation_log l
			   where l.workspace_id = :workspace
			     and (not :oneVersion or l.version_id = cast(:version as uuid))
			), since as (
			  select coalesce(min(served_at), now()) - interval '1 day' as at from served
			), impression as (
			  select s.recommendation_id, e.profile_id, e.occurred_at, s.items,
			         case when jsonb_typeof(e.properties -> 'products') = 'array'
			                   and jsonb_array_length(e.properties -> 'products') > 0
			              then e.properties -> 'products' end as products
			    from served s
			    join profile.profile_event e
			      on e.workspace_id = :workspace and e.event_name = 'Product List Viewed' and e.event_type = 'track'
			     and e.occurred_at >= (select at from since)
			     and e.properties ->> 'recommendation_id' = s.recommendation_id::text
			), shown as (
			  select i.recommendation_id, i.profile_id, item, min(i.occurred_at) as seen_at
			    from impression i
			    cross join lateral (
			      select coalesce(p ->> 'product_id', p ->> 'productId') as item
			        from jsonb_array_elements(i.products) p where i.products is not null
			      union
			      select unnest(i.items) where i.products is null) listed
			   where item = any(i.items)
			   group by 1, 2, 3
			), clicked as (
			  select distinct w.recommendation_id, w.item
			    from shown w
			    join profile.profile_event e
			      on e.workspace_id = :workspace and e.event_name = 'Product Clicked' and e.event_type = 'track'
			     and e.occurred_at >= (select at from since)
			     and e.properties ->> 'recommendation_id' = w.recommendation_id::text
			     and coalesce(e.properties ->> 'product_id', e.properties ->> 'productId') = w.item
			), purchased as (
			  select distinct w.recommendation_id, w.item
			    from shown w
			    join profile.profile_event e
			      on e.workspace_id = :workspace and e.profile_id = w.profile_id and e.event_type = 'track'
			     and e.event_name = 'Order Completed'
			     and e.occurred_at >= w.seen_at and e.occurred_at <= w.seen_at + make_interval(secs => :window)
			   cross join lateral jsonb_array_elements(case when jsonb_typeof(e.properties -> 'products') = 'array'
			                                                then e.properties -> 'products' else '[]'::jsonb end) p
			   where coalesce(p ->> 'product_id', p ->> 'productId') = w.item
			), per_shown as (
			  select recommendation_id, count(distinct item) as n from shown group by 1
			), per_clicked as (
			  select recommendation_id, count(*) as n from clicked group by 1
			), per_purchased as (
			  select recommendation_id, count(*) as n from purchased group by 1
			)
			select s.version_id, count(*) as served, count(ps.recommendation_id) as impressions,
			       coalesce(sum(ps.n), 0) as item_impressions, count(pc.recommendation_id) as clicks,
			       coalesce(sum(pc.n), 0) as item_clicks, count(pp.recommendation_id) as purchases,
			       coalesce(sum(pp.n), 0) as item_purchases, min(s.served_at) as first_served_at,
			       max(s.served_at) as last_served_at
			  from served s
			  left join per_shown ps on ps.recommendation_id = s.recommendation_id
			  left join per_clicked pc on pc.recommendation_id = s.recommendation_id
			  left join per_purchased pp on pp.recommendation_id = s.recommendation_id
			 group by s.version_id
			 order by max(s.served_at) desc""";

	private final JdbcClient jdbc;

	private final RecommendationLog log;

	private final RecommenderProperties properties;

	FeedbackReport(JdbcClient jdbc, RecommendationLog log, RecommenderProperties properties) {
		this.jdbc = jdbc;
		this.log = log;
		this.properties = properties;
	}

	/**
	 * @param workspace the workspace
	 * @param versionId the version
	 * @return its counts (zeros when it never answered)
	 */
	Counts forVersion(String workspace, UUID versionId) {
		List<Counts> counts = query(workspace, versionId);
		return counts.isEmpty() ? Counts.none(versionId) : counts.get(0);
	}

	/**
	 * @param workspace the workspace
	 * @return the counts of every version that answered (and of answers without a model,
	 * as version null), the latest serving first
	 */
	List<Counts> perVersion(String workspace) {
		return query(workspace, null);
	}

	private List<Counts> query(String workspace, UUID versionId) {
		// the answers of this instance that still wait in memory count too
		this.log.flush();
		return this.jdbc.sql(SQL)
			.param("workspace", workspace)
			.param("oneVersion", versionId != null)
			.param("version", versionId)
			.param("window", (double) this.properties.attributionWindow().toSeconds())
			.query(FeedbackReport::counts)
			.list();
	}

	private static Counts counts(ResultSet row, int n) throws SQLException {
		var first = row.getTimestamp("first_served_at");
		var last = row.getTimestamp("last_served_at");
		return new Counts(row.getObject("version_id", UUID.class), row.getLong("served"), row.getLong("impressions"),
				row.getLong("item_impressions"), row.getLong("clicks"), row.getLong("item_clicks"),
				row.getLong("purchases"), row.getLong("item_purchases"),
				(first != null) ? first.toInstant().toString() : null,
				(last != null) ? last.toInstant().toString() : null);
	}

	/**
	 * @param versionId the version (null: answers given without a model)
	 * @param served answers given
	 * @param impressions answers shown (an impression event came back)
	 * @param itemImpressions items shown
	 * @param clicks answers with at least one click on a shown item
	 * @param itemClicks shown items clicked
	 * @param purchases answers followed by a purchase of a shown item within the window
	 * @param itemPurchases shown items bought within the window
	 * @param firstServedAt the first answer
	 * @param lastServedAt the last answer
	 */
	record Counts(UUID versionId, long served, long impressions, long itemImpressions, long clicks, long itemClicks,
			long purchases, long itemPurchases, String firstServedAt, String lastServedAt) {

		static Counts none(UUID versionId) {
			return new Counts(versionId, 0, 0, 0, 0, 0, 0, 0, null, null);
		}

		/**
		 * @return answers with a click per answer shown, or null before any impression
		 */
		@JsonProperty
		public Double clickThroughRate() {
			return (this.impressions > 0) ? (double) this.clicks / this.impressions : null;
		}

		/**
		 * @return answers followed by a purchase per answer shown, or null before any
		 * impression
		 */
		@JsonProperty
		public Double conversionRate() {
			return (this.impressions > 0) ? (double) this.purchases / this.impressions : null;
		}

	}

}
