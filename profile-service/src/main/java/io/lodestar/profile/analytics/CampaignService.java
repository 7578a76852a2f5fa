package io.lodestar.profile.analytics;

import java.sql.Date;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.stereotype.Service;

/**
 * Campaign economics: the ad platforms' spend, impressions, clicks and their own
 * conversions ({@code profile.campaign_day}) next to what Lodestar attributes by last
 * touch ({@code profile.campaign_touch}): each purchase in the range goes to the
 * profile's latest campaign touch within the look-back window before it; a customer is
 * acquired by the campaign of the last touch before their first purchase ever. ROAS =
 * attributed revenue / spend, CAC = spend / customers acquired in the range, and the
 * acquired customers' predicted 365-day value from the LTV model.
 *
 * <p>
 * Touches and ad rows meet on a channel and the campaign's name: utm sources google,
 * adwords, google-ads (or a gclid/gbraid/wbraid click) are {@code google-ads}; facebook,
 * fb, instagram, ig, meta (or an fbclid) are {@code meta}; bing, microsoft (msclkid) are
 * {@code microsoft-ads}; tiktok (ttclid) is {@code tiktok}; any other source is its own
 * channel. A touch's {@code utm_campaign} matches an ad row's campaign name or id, case
 * aside.
 */
@Service
class CampaignService {

	static final String TOUCH_CHANNEL = """
			case when lower(t.source) in ('google', 'adwords', 'google-ads', 'googleads')
			          or (t.source is null and t.click_id_kind in ('gclid', 'gbraid', 'wbraid')) then 'google-ads'
			     when lower(t.source) in ('facebook', 'fb', 'instagram', 'ig', 'meta')
			          or (t.source is null and t.click_id_kind = 'fbclid') then 'meta'
			     when lower(t.source) in ('bing', 'microsoft', 'microsoft-ads')
			          or (t.source is null and t.click_id_kind = 'msclkid') then 'microsoft-ads'
			     when lower(t.source) = 'tiktok' or (t.source is null and t.click_id_kind = 'ttclid') then 'tiktok'
			     else coalesce(lower(t.source), '(none)') end""";

	static final String AD_CHANNEL = """
			case when lower(d.source) in ('google-ads', 'google_ads', 'googleads', 'google') then 'google-ads'
			     when lower(d.source) in ('meta', 'facebook') then 'meta'
			     else lower(d.source) end""";

	private final AnalyticsQueries queries;

	private final Purchases purchases;

	CampaignService(AnalyticsQueries queries, Purchases purchases) {
		this.queries = queries;
		this.purchases = purchases;
	}

	/**
	 * @param by campaign (channel and campaign) or channel
	 * @param lookbackDays how far before a purchase a touch still counts (1-90)
	 * @param daily one row per UTC day too: the ad rows' day, the purchase's, the first
	 * purchase's
	 */
	Rows campaigns(String workspace, DateRange range, String by, int lookbackDays, boolean daily) {
		if (!List.of("campaign", "channel").contains(by)) {
			throw Invalid.at("by", "by is campaign or channel");
		}
		if (lookbackDays < 1 || lookbackDays > 90) {
			throw Invalid.at("lookbackDays", "lookbackDays is 1-90");
		}
		MapSqlParameterSource parameters = KpiService.parameters(workspace, range)
			.addValue("lookback", lookbackDays)
			.addValue("fromDay", Date.valueOf(LocalDate.ofInstant(range.from(), ZoneOffset.UTC)))
			.addValue("toDay", Date.valueOf(LocalDate.ofInstant(range.to().minusNanos(1), ZoneOffset.UTC)));
		String purchase = this.purchases.isPurchase("e", parameters);
		String value = this.purchases.value("e", parameters);
		boolean byCampaign = "campaign".equals(by);
		String touchKey = byCampaign ? "lower(coalesce(t.campaign, '(none)'))" : "''";
		String adKey = byCampaign ? "lower(coalesce(d.campaign_name, d.campaign_id))" : "''";
		String adDay = daily ? "d.day" : "null::date";
		String orderDay = daily ? "(e.occurred_at at time zone 'UTC')::date" : "null::date";
		String firstDay = daily ? "(f.first_at at time zone 'UTC')::date" : "null::date";
		String lastTouch = """
				select %1$s as channel, %2$s as campaign, t.campaign as name from profile.campaign_touch t
				 where t.workspace_id = :ws and t.profile_id = %%1$s and t.occurred_at <= %%2$s
				   and t.occurred_at > %%2$s - make_interval(days => :lookback)
				 order by t.occurred_at desc limit 1""".formatted(TOUCH_CHANNEL, touchKey);
		String sql = """
				with spend as (
				  select %1$s as channel, %2$s as campaign, %7$s as day, max(coalesce(d.campaign_name, d.campaign_id)) as name,
				         sum(d.spend) as spend, sum(d.impressions) as impressions, sum(d.clicks) as clicks,
				         sum(d.conversions) as platform_conversions, sum(d.conversion_value) as platform_value,
				         min(d.currency) as currency, count(distinct d.currency) as currencies
				    from profile.campaign_day d
				   where d.workspace_id = :ws and d.day >= :fromDay and d.day <= :toDay
				   group by 1, 2, 3),
				orders as (
				  select t.channel, t.campaign, %8$s as day, max(t.name) as name, count(*) as orders,
				         coalesce(sum(%4$s), 0) as revenue
				    from profile.profile_event e
				   cross join lateral (%5$s) t
				   where e.workspace_id = :ws and e.occurred_at >= :from and e.occurred_at < :to and %3$s
				   group by 1, 2, 3),
				firsts as (
				  select e.profile_id, min(e.occurred_at) as first_at from profile.profile_event e
				   where e.workspace_id = :ws and %3$s group by e.profile_id
				  having min(e.occurred_at) >= :from and min(e.occurred_at) < :to),
				acquired as (
				  select t.channel, t.campaign, %9$s as day, max(t.name) as name, count(*) as customers,
				         avg(l.predicted_spend_365) as ltv, sum(l.predicted_spend_365) as ltv_total
				    from firsts f
				   cross join lateral (%6$s) t
				    left join profile.profile_ltv l on l.workspace_id = :ws and l.profile_id = f.profile_id
				   group by 1, 2, 3)
				select coalesce(s.channel, o.channel, a.channel) as channel, coalesce(s.campaign, o.campaign, a.campaign) as campaign,
				       coalesce(s.day, o.day, a.day) as day,
				       coalesce(s.name, o.name, a.name) as name, s.spend, s.impressions, s.clicks, s.platform_conversions,
				       s.platform_value, s.currency, s.currencies, coalesce(o.orders, 0) as orders,
				       coalesce(o.revenue, 0) as revenue, coalesce(a.customers, 0) as customers, a.ltv, a.ltv_total
				  from spend s
				  full join orders o on o.channel = s.channel and o.campaign = s.campaign and o.day is not distinct from s.day
				  full join acquired a on a.channel = coalesce(s.channel, o.channel) and a.campaign = coalesce(s.campaign, o.campaign)
				   and a.day is not distinct from coalesce(s.day, o.day)
				 order by %10$s s.spend desc nulls last, revenue desc, 1, 2"""
			.formatted(AD_CHANNEL, adKey, purchase, value, lastTouch.formatted("e.profile_id", "e.occurred_at"),
					lastTouch.formatted("f.profile_id", "f.first_at"), adDay, orderDay, firstDay, daily ? "3," : "");
		List<Map<String, Object>> rows = this.queries.query(sql, parameters, (row, n) -> {
			Map<String, Object> line = new LinkedHashMap<>();
			line.put("channel", row.getString("channel"));
			if (byCampaign) {
				line.put("campaign", row.getString("name"));
			}
			if (daily) {
				line.put("day", row.getDate("day").toLocalDate().toString());
			}
			Double spend = number(row.getObject("spend"));
			double revenue = row.getDouble("revenue");
			long customers = row.getLong("customers");
			line.put("spend", spend);
			line.put("currency", (row.getInt("currencies") > 1) ? "(mixed)" : row.getString("currency"));
			line.put("impressions", row.getObject("impressions"));
			line.put("clicks", row.getObject("clicks"));
			line.put("platformConversions", number(row.getObject("platform_conversions")));
			line.put("platformConversionValue", number(row.getObject("platform_value")));
			line.put("orders", row.getLong("orders"));
			line.put("revenue", revenue);
			line.put("roas", (spend == null || spend == 0) ? null : revenue / spend);
			line.put("customersAcquired", customers);
			line.put("cac", (spend == null || customers == 0) ? null : spend / customers);
			line.put("averageLtv", number(row.getObject("ltv")));
			line.put("acquiredLtv", number(row.getObject("ltv_total")));
			return line;
		});
		return new Rows(range, rows);
	}

	private static Double number(Object value) {
		return (value instanceof Number number) ? number.doubleValue() : null;
	}

}
