package io.lodestar.etl.rfm;

import java.util.List;
import java.util.Map;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The outcome of one RFM run.
 *
 * @param customers per customer: profile_id, recency_days, frequency, monetary, r_score,
 * f_score, m_score, cluster
 * @param tiers the named clusters, by revenue share
 * @param silhouettes the silhouette of every k tried
 * @param k the k chosen
 * @param silhouette its silhouette
 * @param customerCount customers with a positive spend
 */
public record RfmResult(Dataset<Row> customers, List<Tier> tiers, Map<Integer, Double> silhouettes, int k,
		double silhouette, long customerCount) {

	/**
	 * A named cluster.
	 *
	 * @param name e.g. Champions, Loyal, At risk
	 * @param cluster its k-means cluster
	 * @param customers its size
	 * @param revenueShare its share of all revenue
	 * @param r mean recency score (1-5, 5 most recent)
	 * @param f mean frequency score
	 * @param m mean monetary score
	 * @param recencyDays mean days since the last purchase
	 * @param frequency mean purchase days
	 * @param monetary mean spend
	 */
	public record Tier(String name, int cluster, long customers, double revenueShare, double r, double f, double m,
			double recencyDays, double frequency, double monetary) {
	}

}
