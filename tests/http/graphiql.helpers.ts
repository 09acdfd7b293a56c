import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

/** System Chromium (Debian package); override with CHROMIUM_PATH. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

// Quiet, offline-friendly flags: no sandbox (containers run as root), no background traffic.
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM_PATH}. Install it (as root: apt-get update && ` +
        'apt-get install -y chromium) or point CHROMIUM_PATH at a Chromium binary.',
    );
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
}

/** Selectors of the GraphiQL 3 UI that the helpers rely on. */
export const GRAPHIQL = {
  queryEditor: '.graphiql-query-editor .CodeMirror',
  responseEditor: '.graphiql-response .CodeMirror',
  executeButton: 'button.graphiql-execute-button',
} as const;

// Page-side code is passed as strings: the tsconfig has no DOM lib, and transpilers
// (tsx, vitest) may wrap functions in helpers that do not exist in the page.
const codeMirror = (selector: string) => `document.querySelector(${JSON.stringify(selector)}).CodeMirror`;

/**
 * Replaces the editor text with `operation`, clicks run and returns the first non-empty
 * response text (for a subscription: the first event; it keeps running afterwards).
 * If the text holds several operations GraphiQL asks which one to run: pass operationName.
 */
export async function runInGraphiql(
  page: Page,
  operation: string,
  options: { operationName?: string; timeoutMs?: number } = {},
): Promise<string> {
  const timeout = options.timeoutMs ?? 15_000;
  const button = page.locator(GRAPHIQL.executeButton);
  await page.waitForSelector(GRAPHIQL.queryEditor, { timeout });

  // The run button turns into a stop button while an operation (e.g. a subscription) is live.
  if ((await button.getAttribute('aria-label', { timeout }))?.startsWith('Stop')) {
    await button.click({ timeout });
    await page.waitForSelector(`${GRAPHIQL.executeButton}[aria-label^="Execute"]`, { timeout });
  }

  const query = codeMirror(GRAPHIQL.queryEditor);
  await page.evaluate(
    `${query}.setValue(${JSON.stringify(operation)});` +
      // Cleared so that the wait below cannot pick up the previous result.
      `${codeMirror(GRAPHIQL.responseEditor)}.setValue('');`,
  );
  // GraphiQL re-parses the editor after a 100 ms debounce; clicking earlier would run with
  // the previous document's operation name / AST (e.g. send a subscription over HTTP).
  await poll(
    page,
    `(${query}.documentAST?.loc?.source.body === ${query}.getValue())`,
    timeout,
    'GraphiQL did not parse the operation (syntax error?)',
  );
  // With several operations the run button becomes a menu of operation names.
  const expectMenu = options.operationName !== undefined;
  await page
    .waitForSelector(`${GRAPHIQL.executeButton}${expectMenu ? '[aria-haspopup="menu"]' : ':not([aria-haspopup])'}`, {
      timeout,
    })
    .catch(() => {
      throw new Error(
        expectMenu
          ? 'operationName was given but the text holds a single operation'
          : 'the text holds several operations: pass operationName',
      );
    });

  await button.click({ timeout });
  if (options.operationName) {
    await page.getByRole('menuitem', { name: options.operationName, exact: true }).click({ timeout });
  }

  const text = await poll(
    page,
    `${codeMirror(GRAPHIQL.responseEditor)}.getValue().trim() !== '' && ` +
      `${codeMirror(GRAPHIQL.responseEditor)}.getValue()`,
    timeout,
    'GraphiQL showed no response',
  );
  return text as string;
}

// page.waitForFunction() evaluates string predicates with eval inside the page, which the
// explorer's CSP (no 'unsafe-eval') blocks; evaluate() goes through the debugger instead.
async function poll(page: Page, expression: string, timeout: number, failure: string) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value: unknown = await page.evaluate(expression);
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`${failure} (waited ${timeout} ms)`);
    await page.waitForTimeout(50);
  }
}
