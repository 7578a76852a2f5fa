// The profiles who dropped out of a funnel step, saved as a segment: every page of
// `POST /v1/analytics/funnels/dropped` (keyset by profile id) up to the 10,000 ids a `profiles`
// rule holds, then `POST /v1/segments` with a description naming the funnel, the step and the dates.

import { FunnelRequest, windowText } from './funnel';
import { MAX_PROFILE_IDS } from './rule';

export interface DroppedProfile { profileId: string; userId: string | null; reachedPreviousStepAt: string }
export interface DroppedPage { step: number; profiles: DroppedProfile[]; nextCursor: string | null }
export interface DroppedRequest { funnel: FunnelRequest; step: number; limit: number; cursor?: string }

/** The largest page the API serves (`limit` 1-1000). */
export const DROPPED_PAGE_LIMIT = 1000;

export function droppedRequest(funnel: FunnelRequest, step: number, limit: number, cursor?: string | null): DroppedRequest {
  return cursor ? { funnel, step, limit, cursor } : { funnel, step, limit };
}

export interface Collected {
  profileIds: string[];
  /** More profiles dropped than a profiles list holds; only the first `max` by profile id are kept. */
  more: boolean;
}

/**
 * Every profile who dropped before `step`, page after page, at most `max`. When the last page
 * allowed is full, one more id is asked for to tell "exactly max" from "more than max".
 */
export async function collectDropped(fetchPage: (request: DroppedRequest) => Promise<DroppedPage>, funnel: FunnelRequest,
  step: number, onProgress?: (collected: number) => void, max = MAX_PROFILE_IDS): Promise<Collected> {
  const profileIds: string[] = [];
  let cursor: string | null = null;
  do {
    const page: DroppedPage = await fetchPage(droppedRequest(funnel, step, Math.min(DROPPED_PAGE_LIMIT, max - profileIds.length), cursor));
    profileIds.push(...page.profiles.map((p) => p.profileId));
    onProgress?.(profileIds.length);
    cursor = page.nextCursor;
  } while (cursor && profileIds.length < max);
  if (!cursor) return { profileIds, more: false };
  const probe = await fetchPage(droppedRequest(funnel, step, 1, cursor));
  return { profileIds, more: probe.profiles.length > 0 };
}

export interface SegmentRequest {
  name: string;
  description: string;
  rule: { type: 'profiles'; profileIds: string[] };
}

/** What the funnel was, in words: "1. Product Viewed → 2. Checkout Started → 3. Order Completed". */
export function funnelInWords(labels: string[]): string {
  return labels.map((label, i) => `${i + 1}. ${label}`).join(' → ');
}

/** The name offered for the segment of the profiles who dropped before `step`. */
export function dropoutSegmentName(funnel: FunnelRequest, step: number, labels: string[]): string {
  const name = `Dropped before ${labels[step - 1] ?? `step ${step}`} (${funnel.from} – ${funnel.to})`;
  return name.length > 200 ? `${name.slice(0, 199)}…` : name;
}

/** The `POST /v1/segments` body: the collected ids as a `profiles` rule, described by funnel, step and dates. */
export function dropoutSegmentRequest(name: string, funnel: FunnelRequest, step: number, labels: string[],
  collected: Collected): SegmentRequest {
  const window = funnel.window ? ` within ${windowText(funnel.window)}` : '';
  const description = `Profiles who dropped out of the funnel ${funnelInWords(labels)} before step ${step}: `
    + `did step ${step - 1} “${labels[step - 2] ?? ''}” and not step ${step} “${labels[step - 1] ?? ''}”${window}, `
    + `${funnel.from} – ${funnel.to} (UTC days).`
    + (collected.more ? ` More dropped than a list holds: the first ${collected.profileIds.length.toLocaleString('en')} by profile id.` : '');
  return { name: name.trim(), description, rule: { type: 'profiles', profileIds: collected.profileIds } };
}
