import { describe, expect, it } from 'vitest';
import { renderHtml } from '../../src/render/html.js';
import { fixtureReview } from './fixture-review.js';

describe('permission caveats in the HTML report', () => {
  it('shows what a condition decided at review time did to the permissions, escaped', async () => {
    const review = fixtureReview();
    const role = review.accounts.flatMap((a) => a.roles)[0];
    if (!role) throw new Error('fixture has no role');
    const caveat =
      'Policy timed statement 1 (Allow) never applies: its condition aws:CurrentTime DateLessThan 2020-01-01T00:00:00Z cannot hold at review time, so it is not counted.';
    role.permissions.caveats = [caveat, '<b>not markup</b>'];
    const html = await renderHtml(review);
    expect(html).toContain('<dt>Caveats</dt>');
    expect(html).toContain(caveat);
    expect(html).toContain('&lt;b&gt;not markup&lt;/b&gt;');
  });
});
