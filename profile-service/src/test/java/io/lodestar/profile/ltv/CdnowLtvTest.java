package io.lodestar.profile.ltv;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The standard LTV benchmark on the real CDNOW sample (2,357 customers of the Q1 1997
 * cohort): calibrate on weeks 1-39, predict weeks 40-78. The fitted BG/NBD parameters
 * must be within 5 % of those published by Fader, Hardie and Lee (2005): r = 0.243, α =
 * 4.414, a = 0.793, b = 2.426. The predicted and actual repeat purchases of the hold-out
 * are printed (and recorded in docs/benchmarks.md).
 */
class CdnowLtvTest {

	private static final LocalDate START = LocalDate.parse("1997-01-01");

	private static final LocalDate CALIBRATION_END = LocalDate.parse("1997-09-30");

	private static final LocalDate HOLDOUT_END = LocalDate.parse("1998-06-30");

	static final Map<String, List<Purchase>> customers = new LinkedHashMap<>();

	static final List<CustomerSummary> calibration = new ArrayList<>();

	static final Map<CustomerSummary, Integer> holdout = new LinkedHashMap<>();

	static final List<Integer> holdoutCounts = new ArrayList<>();

	@BeforeAll
	static void load() throws IOException {
		Path file = Path.of("../data/sample/cdnow.csv.gz");
		try (BufferedReader reader = new BufferedReader(
				new InputStreamReader(new GZIPInputStream(Files.newInputStream(file)), StandardCharsets.UTF_8))) {
			reader.readLine();
			String line;
			while ((line = reader.readLine()) != null) {
				String[] cells = line.split(",");
				customers.computeIfAbsent(cells[0], (id) -> new ArrayList<>())
					.add(new Purchase(LocalDate.parse(cells[1]), Double.parseDouble(cells[3])));
			}
		}
		for (List<Purchase> purchases : customers.values()) {
			LocalDate first = purchases.get(0).date();
			List<Purchase> inCalibration = purchases.stream()
				.filter((p) -> !p.date().isAfter(CALIBRATION_END))
				.toList();
			int x = inCalibration.size() - 1;
			double tx = weeks(first, inCalibration.get(x).date());
			double t = weeks(first, CALIBRATION_END);
			double monetary = inCalibration.stream().skip(1).mapToDouble(Purchase::price).average().orElse(0);
			CustomerSummary summary = new CustomerSummary(x, tx, t, monetary);
			calibration.add(summary);
			holdoutCounts.add((int) purchases.stream()
				.filter((p) -> p.date().isAfter(CALIBRATION_END) && !p.date().isAfter(HOLDOUT_END))
				.count());
		}
	}

	@Test
	void theSampleIsTheCohortOfThePaper() {
		assertThat(customers).hasSize(2357);
		assertThat(calibration.stream().mapToInt(CustomerSummary::x).sum()).isEqualTo(2457);
	}

	@Test
	void bgNbdParametersMatchThePublishedEstimatesWithinFivePercent() {
		BgNbd model = BgNbd.fit(calibration);

		System.out.printf("CDNOW BG/NBD: r=%.4f alpha=%.4f a=%.4f b=%.4f LL=%.2f%n", model.r(), model.alpha(),
				model.a(), model.b(), model.logLikelihood(calibration));
		assertThat(model.r()).isCloseTo(0.243, within(0.243 * 0.05));
		assertThat(model.alpha()).isCloseTo(4.414, within(4.414 * 0.05));
		assertThat(model.a()).isCloseTo(0.793, within(0.793 * 0.05));
		assertThat(model.b()).isCloseTo(2.426, within(2.426 * 0.05));
		// the paper's log-likelihood at its estimates
		assertThat(model.logLikelihood(calibration)).isCloseTo(-9582.4, within(1.0));
	}

	@Test
	void holdoutRepeatPurchasesArePredictedInTotalAndByCalibrationFrequency() {
		BgNbd model = BgNbd.fit(calibration);
		double horizon = weeks(CALIBRATION_END, HOLDOUT_END);
		double predicted = 0;
		int actual = 0;
		Map<Integer, double[]> byFrequency = new TreeMap<>();
		for (int i = 0; i < calibration.size(); i++) {
			CustomerSummary customer = calibration.get(i);
			double expected = model.expectedPurchases(horizon, customer);
			predicted += expected;
			actual += holdoutCounts.get(i);
			double[] row = byFrequency.computeIfAbsent(Math.min(customer.x(), 7), (k) -> new double[3]);
			row[0]++;
			row[1] += expected;
			row[2] += holdoutCounts.get(i);
		}
		System.out.printf("CDNOW weeks 40-78 repeat purchases: predicted %.1f, actual %d%n", predicted, actual);
		byFrequency.forEach((x, row) -> System.out.printf(
				"  calibration repeat purchases %s: customers=%d predicted/customer=%.3f actual/customer=%.3f%n",
				(x == 7) ? "7+" : x, (int) row[0], row[1] / row[0], row[2] / row[0]));
		// measured: predicted 1,653 vs actual 1,882 (-12 %); the model under-forecasts
		// the
		// cohort's second-year buying — a gap beyond 15 % would be a bug in the fit or in
		// the
		// conditional expectation
		assertThat(predicted).isCloseTo(actual, within(actual * 0.15));
		// conditional expectations rise with calibration frequency, as the data do
		assertThat(byFrequency.get(0)[1] / byFrequency.get(0)[0])
			.isLessThan(byFrequency.get(3)[1] / byFrequency.get(3)[0]);
	}

	@Test
	void gammaGammaShrinksAverageSpendTowardsThePopulation() {
		GammaGamma spend = GammaGamma.fit(calibration);
		System.out.printf("CDNOW Gamma-Gamma: p=%.4f q=%.4f gamma=%.4f%n", spend.p(), spend.q(), spend.gamma());
		// published on this sample (Fader, Hardie and Lee 2005, "RFM and CLV"): p = 6.25,
		// q = 3.74,
		// gamma = 15.44
		assertThat(spend.p()).isCloseTo(6.25, within(6.25 * 0.05));
		assertThat(spend.q()).isCloseTo(3.74, within(3.74 * 0.05));
		assertThat(spend.gamma()).isCloseTo(15.44, within(15.44 * 0.05));
		double population = spend.expectedAverageSpend(new CustomerSummary(0, 0, 30, 0));
		CustomerSummary bigSpender = new CustomerSummary(1, 10, 30, 200);
		CustomerSummary loyalBigSpender = new CustomerSummary(10, 30, 30, 200);
		assertThat(spend.expectedAverageSpend(bigSpender)).isBetween(population, 200.0);
		assertThat(spend.expectedAverageSpend(loyalBigSpender)).isGreaterThan(spend.expectedAverageSpend(bigSpender))
			.isLessThan(200.0);
		// repeat buyers' mean spend in calibration, as a sanity anchor for the population
		// mean
		double observed = calibration.stream()
			.filter((c) -> c.x() > 0)
			.mapToDouble(CustomerSummary::monetary)
			.average()
			.orElseThrow();
		assertThat(population).isCloseTo(observed, within(observed * 0.5));
	}

	@Test
	void probabilityAliveFallsWithTimeSinceTheLastPurchase() {
		BgNbd model = BgNbd.fit(calibration);
		assertThat(model.probabilityAlive(new CustomerSummary(0, 0, 38, 0))).isEqualTo(1.0);
		double recent = model.probabilityAlive(new CustomerSummary(4, 36, 38, 10));
		double lapsed = model.probabilityAlive(new CustomerSummary(4, 5, 38, 10));
		assertThat(recent).isGreaterThan(lapsed).isLessThanOrEqualTo(1.0);
		assertThat(lapsed).isGreaterThan(0.0);
	}

	private static double weeks(LocalDate from, LocalDate to) {
		return ChronoUnit.DAYS.between(from, to) / 7.0;
	}

	record Purchase(LocalDate date, double price) {
	}

}
