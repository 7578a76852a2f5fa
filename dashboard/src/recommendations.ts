// Recommendation models (`/v1/recommendations/models`, recommender-service): each version's
// hold-out evaluation as the training job wrote it — ALS against the popularity and item-kNN
// baselines on the same test customers — and what the lifecycle decided.

export interface ModelMetrics { precision?: number; recall?: number; ndcg?: number; map?: number; coverage?: number }

export interface ModelVersion {
  versionId: string; trainedAt: string; status: 'candidate' | 'serving' | 'retired' | 'rejected'; pinned: boolean;
  decision?: string | null; decidedAt?: string | null; loaded: boolean; factors: boolean; loadError?: string;
  metrics?: { k?: number; testUsers?: number; als?: ModelMetrics; popularity?: ModelMetrics; itemKnn?: ModelMetrics } | null;
  params?: Record<string, unknown> | null; cutoff?: string | null; interactions: number; users: number; items: number;
  trainingDurationMs: number;
}

export interface ModelList { promotionPolicy: string; servingVersionId: string | null; loadedVersionId: string | null; versions: ModelVersion[] }

export interface Feedback {
  versionId: string | null; served: number; impressions: number; itemImpressions: number; clicks: number; itemClicks: number;
  purchases: number; itemPurchases: number; clickThroughRate: number | null; conversionRate: number | null;
  firstServedAt?: string | null; lastServedAt?: string | null;
}

export interface RecommendedItem {
  position: number; itemId: string; score: number; reason: 'als' | 'popular-in-category' | 'popular' | string;
  name?: string | null; category?: string | null; brand?: string | null; price?: number | null;
}

export interface Recommendations {
  recommendationId: string; profileId?: string; itemId?: string; versionId: string | null; generatedAt: string; items: RecommendedItem[];
}

export const METRICS = [
  { key: 'precision', label: 'Precision' }, { key: 'recall', label: 'Recall' }, { key: 'ndcg', label: 'NDCG' },
  { key: 'map', label: 'MAP' }, { key: 'coverage', label: 'Coverage' },
] as const;
export type MetricKey = (typeof METRICS)[number]['key'];

export const MODELS = [
  { key: 'als', label: 'ALS (this version)' }, { key: 'popularity', label: 'Popularity' }, { key: 'itemKnn', label: 'Item-kNN' },
] as const;

export interface MetricsRow { model: string; label: string; values: Record<MetricKey, number | null>; best: MetricKey[] }

/**
 * The hold-out table of a version: one row per model, a cell per metric (null when the job did
 * not report it), and per row the metrics where that model is the best of the three (ties shared).
 */
export function metricsTable(version: Pick<ModelVersion, 'metrics'>): MetricsRow[] {
  const metrics = version.metrics ?? {};
  const rows = MODELS.map(({ key, label }) => {
    const source = (metrics as Record<string, ModelMetrics | undefined>)[key] ?? {};
    const values = Object.fromEntries(METRICS.map((m) => [m.key, typeof source[m.key] === 'number' ? source[m.key]! : null])) as Record<MetricKey, number | null>;
    return { model: key, label, values, best: [] as MetricKey[] };
  });
  for (const { key } of METRICS) {
    const known = rows.map((r) => r.values[key]).filter((v): v is number => v !== null);
    if (known.length < 2) continue;
    const top = Math.max(...known);
    for (const row of rows) if (row.values[key] === top) row.best.push(key);
  }
  return rows;
}

/** ALS's NDCG as a multiple of a baseline's (null when either is missing or the baseline is 0). */
export function lift(version: Pick<ModelVersion, 'metrics'>, baseline: 'popularity' | 'itemKnn' = 'popularity'): number | null {
  const als = version.metrics?.als?.ndcg;
  const base = version.metrics?.[baseline]?.ndcg;
  return typeof als === 'number' && typeof base === 'number' && base > 0 ? als / base : null;
}

/** What can be done with a version now, by the API's rules (the server still decides). */
export function actionsOf(version: ModelVersion, list: ModelList): { pin: boolean; unpin: boolean; promote: boolean } {
  const pinnedOther = list.versions.some((v) => v.pinned && v.versionId !== version.versionId);
  const servable = version.factors && version.status !== 'serving';
  return {
    pin: version.factors && !version.pinned,
    unpin: version.pinned,
    promote: servable && !pinnedOther,
  };
}

export const LOOKUPS = [
  { key: 'userId', label: 'user id' }, { key: 'email', label: 'email' }, { key: 'profileId', label: 'profile id' },
  { key: 'anonymousId', label: 'anonymous id' }, { key: 'customerId', label: 'customer id' }, { key: 'phone', label: 'phone' },
  { key: 'deviceId', label: 'device id' },
] as const;
export type Lookup = (typeof LOOKUPS)[number]['key'];

export interface PreviewFilters { limit?: number; category?: string; minPrice?: string; maxPrice?: string; anyAvailability?: boolean }

function filterQuery(filters: PreviewFilters): string[] {
  const parts: string[] = [];
  if (filters.limit) parts.push(`limit=${filters.limit}`);
  if (filters.category?.trim()) parts.push(`category=${encodeURIComponent(filters.category.trim())}`);
  if (filters.minPrice?.trim()) parts.push(`minPrice=${encodeURIComponent(filters.minPrice.trim())}`);
  if (filters.maxPrice?.trim()) parts.push(`maxPrice=${encodeURIComponent(filters.maxPrice.trim())}`);
  if (filters.anyAvailability) parts.push('available=false');
  return parts;
}

/** The serving request for a profile looked up by any identifier. */
export function previewPath(lookup: Lookup, value: string, filters: PreviewFilters = {}): string {
  const query = filterQuery(filters);
  if (lookup === 'profileId') {
    return `/v1/recommendations/profiles/${encodeURIComponent(value.trim())}${query.length ? `?${query.join('&')}` : ''}`;
  }
  return `/v1/recommendations?${[`${lookup}=${encodeURIComponent(value.trim())}`, ...query].join('&')}`;
}

export function similarPath(itemId: string, filters: PreviewFilters = {}): string {
  const query = filterQuery(filters);
  return `/v1/recommendations/items/${encodeURIComponent(itemId.trim())}/similar${query.length ? `?${query.join('&')}` : ''}`;
}

export const REASONS: Record<string, string> = {
  als: 'the model (ALS)', 'popular-in-category': 'popular in the category', popular: 'popular',
};
