import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { ApiError } from './api';
import { Status } from './ui';

const render = (props: Parameters<typeof Status>[0]) => renderToStaticMarkup(createElement(Status, props));

describe('the loading, error and empty states', () => {
  it('shows an invalid-rule problem with every pointer and its reason', () => {
    const html = render({
      error: new ApiError(400, {
        type: 'https://lodestar.io/problems/invalid-rule', title: 'Invalid rule', status: 400,
        detail: 'the rule has 2 problems',
        errors: [
          { pointer: '/rule/conditions/1/count/value', reason: 'a count is a whole number, 0 or more' },
          { pointer: '/rule/conditions/2/trait', reason: 'a trait key is required' },
        ],
      }),
    });
    expect(html).toContain('role="alert"');
    expect(html).toContain('Invalid rule');
    expect(html).toContain('the rule has 2 problems');
    expect(html).toContain('<code>/rule/conditions/1/count/value</code> a count is a whole number, 0 or more');
    expect(html).toContain('<code>/rule/conditions/2/trait</code> a trait key is required');
  });

  it('shows a problem without pointers by its title and detail', () => {
    const html = render({ error: new ApiError(404, { title: 'Profile not found', detail: 'no profile u-1' }) });
    expect(html).toContain('Profile not found');
    expect(html).toContain('no profile u-1');
    expect(html).not.toContain('<ul>');
  });

  it('says when it is loading and when there is nothing', () => {
    expect(render({ loading: true })).toContain('role="status"');
    expect(render({ empty: true, emptyText: 'No profiles match.' })).toContain('No profiles match.');
    expect(render({})).toBe('');
  });
});
