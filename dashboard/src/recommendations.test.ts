import { describe, expect, it } from 'vitest';
import { actionsOf, lift, metricsTable, ModelList, ModelVersion, previewPath, similarPath } from './recommendations';

const version = (over: Partial<ModelVersion> = {}): ModelVersion => ({
  versionId: 'v-1', trainedAt: '2026-12-01T03:00:00Z', status: 'serving', pinned: false, loaded: true, factors: true,
  interactions: 266221, users: 4334, items: 3659, trainingDurationMs: 205000,
  metrics: {
    k: 10, testUsers: 1277,
    als: { precision: 0.0535, recall: 0.0389, ndcg: 0.0612, map: 0.0271, coverage: 0.364 },
    popularity: { precision: 0.035, recall: 0.0217, ndcg: 0.0392, map: 0.0155, coverage: 0.019 },
    itemKnn: { precision: 0.0262, recall: 0.0223, ndcg: 0.0344, map: 0.0165, coverage: 0.182 },
  },
  ...over,
});

describe('the hold-out metrics table', () => {
  it('has a row per model and marks the best of the three per metric', () => {
    const rows = metricsTable(version());
    expect(rows.map((r) => r.label)).toEqual(['ALS (this version)', 'Popularity', 'Item-kNN']);
    expect(rows[0].values).toEqual({ precision: 0.0535, recall: 0.0389, ndcg: 0.0612, map: 0.0271, coverage: 0.364 });
    expect(rows[0].best).toEqual(['precision', 'recall', 'ndcg', 'map', 'coverage']);
    expect(rows[1].best).toEqual([]);
    expect(lift(version())).toBeCloseTo(1.561, 3);
    expect(lift(version(), 'itemKnn')).toBeCloseTo(1.779, 3);
  });

  it('shares a tie and leaves what the job did not report empty', () => {
    const rows = metricsTable(version({ metrics: { als: { ndcg: 1, recall: 1 }, popularity: { ndcg: 0, recall: 1 } } }));
    expect(rows[0].values.precision).toBeNull();
    expect(rows[2].values.ndcg).toBeNull();
    expect(rows[0].best).toEqual(['recall', 'ndcg']);
    expect(rows[1].best).toEqual(['recall']);
    expect(lift(version({ metrics: { als: { ndcg: 1 }, popularity: { ndcg: 0 } } }))).toBeNull();
    expect(metricsTable(version({ metrics: null })).every((r) => r.best.length === 0)).toBe(true);
  });

  it('offers what the lifecycle allows', () => {
    const serving = version();
    const candidate = version({ versionId: 'v-2', status: 'candidate', loaded: false });
    const old = version({ versionId: 'v-0', status: 'retired', factors: false });
    const list: ModelList = { promotionPolicy: 'manual', servingVersionId: 'v-1', loadedVersionId: 'v-1', versions: [candidate, serving, old] };
    expect(actionsOf(candidate, list)).toEqual({ pin: true, unpin: false, promote: true });
    expect(actionsOf(serving, list)).toEqual({ pin: true, unpin: false, promote: false });
    expect(actionsOf(old, list)).toEqual({ pin: false, unpin: false, promote: false });
    const pinned = { ...list, versions: [candidate, { ...serving, pinned: true }, old] };
    expect(actionsOf(candidate, pinned).promote).toBe(false);
    expect(actionsOf(pinned.versions[1], pinned)).toEqual({ pin: false, unpin: true, promote: false });
  });

  it('asks the serving API by any identifier, with the filters given', () => {
    expect(previewPath('userId', ' u 42 ')).toBe('/v1/recommendations?userId=u%2042');
    expect(previewPath('email', 'Ada@Lovelace.io', { limit: 5, category: 'home', anyAvailability: true }))
      .toBe('/v1/recommendations?email=Ada%40Lovelace.io&limit=5&category=home&available=false');
    expect(previewPath('profileId', '6f1c', { minPrice: '2', maxPrice: '10' })).toBe('/v1/recommendations/profiles/6f1c?minPrice=2&maxPrice=10');
    expect(similarPath('85123A', { limit: 10 })).toBe('/v1/recommendations/items/85123A/similar?limit=10');
  });
});
