import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { ApiError } from './api';
import { EventMatchEditor } from './views/EventMatchEditor';

const problem = (pointer: string, detail: string) => new ApiError(400, {
  type: 'https://lodestar.io/problems/invalid-analytics-query', title: 'Invalid analytics query', status: 400, detail, pointer,
});

describe('a funnel step editor', () => {
  const step = { event: 'Order Completed', filters: [{ property: 'revenue', op: 'gt' as const, value: 'ten' }] };

  it('shows an invalid-analytics-query problem next to the field its pointer names', () => {
    const html = renderToStaticMarkup(<EventMatchEditor match={step} onChange={() => undefined} label="Step 2" id="step-1"
      pointer="/steps/1" error={problem('/steps/1/filters/0/value', 'gt compares with a number')} />);
    expect(html).toMatch(/<input aria-label="Step 2 filter 1 value"[^>]*aria-invalid="true"[^>]*aria-describedby="step-1-f0-value-error"/);
    expect(html).toContain('<span class="field-error" id="step-1-f0-value-error" role="alert">gt compares with a number</span>');
    expect(html.match(/aria-invalid/g)).toHaveLength(1);
  });

  it('does not mark its fields for a problem about another step', () => {
    const html = renderToStaticMarkup(<EventMatchEditor match={step} onChange={() => undefined} label="Step 1" id="step-0"
      pointer="/steps/0" error={problem('/steps/1/filters/0/value', 'gt compares with a number')} />);
    expect(html).not.toContain('aria-invalid');
    expect(html).not.toContain('field-error');
    expect(html).toContain('value="Order Completed"');
    expect(html).toContain('<option value="gt" selected="">&gt;</option>');
  });
});
