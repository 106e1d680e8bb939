import { CONTENT_SECURITY_POLICY } from '../../../core/api/security.js';
import { expect, test } from '../../helpers/quell.js';

test('the page is served with the strict CSP and refuses to run injected inline script', async ({ page, quell }) => {
  const response = await page.goto(quell.url);
  expect(response?.headers()['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
  const violations: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy/.test(m.text())) violations.push(m.text());
  });
  const ran = await page.evaluate(() => {
    const s = document.createElement('script');
    s.textContent = 'window.__injected = true';
    document.body.appendChild(s);
    return (window as unknown as { __injected?: boolean }).__injected === true;
  });
  expect(ran).toBe(false);
  await expect.poll(() => violations.length).toBeGreaterThan(0);
});

test('without the token the host answers 401, and the browser shows no UI', async ({ page, quell }) => {
  const bare = quell.url.replace(/\?token=.*/, '');
  const response = await page.goto(bare);
  expect(response?.status()).toBe(401);
  expect(await response?.json()).toEqual({
    ok: false,
    error: { code: 'unauthorized', message: 'Missing or wrong access token: open the URL that "quell serve" printed.' },
  });
});
