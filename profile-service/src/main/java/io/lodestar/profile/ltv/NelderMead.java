package io.lodestar.profile.ltv;

import java.util.function.ToDoubleFunction;

import org.apache.commons.math3.optim.InitialGuess;
import org.apache.commons.math3.optim.MaxEval;
import org.apache.commons.math3.optim.PointValuePair;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.apache.commons.math3.optim.nonlinear.scalar.ObjectiveFunction;
import org.apache.commons.math3.optim.nonlinear.scalar.noderiv.NelderMeadSimplex;
import org.apache.commons.math3.optim.nonlinear.scalar.noderiv.SimplexOptimizer;

/**
 * Maximises a log-likelihood over strictly positive parameters: the search runs on their
 * logarithms, so every point tried is valid, and restarts from the best point until it
 * stops improving (Nelder-Mead can stall on a degenerate simplex).
 */
final class NelderMead {

	private NelderMead() {
	}

	static double[] maximisePositive(ToDoubleFunction<double[]> logLikelihood, double[] start) {
		ObjectiveFunction objective = new ObjectiveFunction((logs) -> {
			double[] parameters = new double[logs.length];
			for (int i = 0; i < logs.length; i++) {
				parameters[i] = Math.exp(logs[i]);
			}
			double value = logLikelihood.applyAsDouble(parameters);
			return Double.isFinite(value) ? value : -1e300;
		});
		double[] point = new double[start.length];
		for (int i = 0; i < start.length; i++) {
			point[i] = Math.log(start[i]);
		}
		double best = Double.NEGATIVE_INFINITY;
		for (int restart = 0; restart < 10; restart++) {
			SimplexOptimizer optimizer = new SimplexOptimizer(1e-12, 1e-10);
			PointValuePair result = optimizer.optimize(new MaxEval(20_000), objective, GoalType.MAXIMIZE,
					new InitialGuess(point), new NelderMeadSimplex(start.length, 0.5));
			point = result.getPoint();
			if (result.getValue() <= best + 1e-9) {
				break;
			}
			best = result.getValue();
		}
		double[] parameters = new double[point.length];
		for (int i = 0; i < point.length; i++) {
			parameters[i] = Math.exp(point[i]);
		}
		return parameters;
	}

}
