// Drives Debian's chromium (headless, through playwright-core) against a
// running ddb master: started by dashboard_browser_test, which owns the
// cluster. Usage:
//   node dashboard.mjs <dashboard url> <token> <screenshot path> <offline deadline ms>
// It prints "DRIFT_SLAVE2" and waits for a line on stdin saying the test
// changed a row on slave2's MariaDB, then "STOP_SLAVE2" and waits for one
// saying the test stopped slave2; it ends with "PASS" (exit 0) or an error
// (exit 1). Every wait has a deadline.
import { chromium } from 'playwright-core';
import readline from 'node:readline';

const [url, token, screenshot, offlineDeadlineText] = process.argv.slice(2);
const offlineDeadline = Number(offlineDeadlineText);
const XSS = '<script>alert(1)</script>';

function check(condition, message) {
  if (!condition) throw new Error(message);
}

const stdinLines = readline.createInterface({ input: process.stdin })[Symbol.asyncIterator]();

async function stateOf(page, node) {
  return page.locator(`#nodes tr[data-node="${node}"] td.state`).textContent({ timeout: 1000 }).catch(() => '');
}

async function waitForState(page, node, state, deadlineMs) {
  const start = Date.now();
  while (Date.now() - start < deadlineMs) {
    if ((await stateOf(page, node)) === state) return Date.now() - start;
    await page.waitForTimeout(100);
  }
  throw new Error(`${node} not shown '${state}' within ${deadlineMs} ms (shows '${await stateOf(page, node)}')`);
}

// Prints `request` for the test and waits for its answer, `expected`.
async function askTest(request, expected) {
  console.log(request);
  const reply = await Promise.race([
    stdinLines.next(),
    new Promise((_, reject) => setTimeout(() => reject(new Error(`the test did not answer ${request} in time`)), 60000)),
  ]);
  check(!reply.done && reply.value.trim() === expected, 'unexpected reply from the test: ' + JSON.stringify(reply));
}

function verifyCell(table, state) {
  return `#verify tbody tr:has(td:text-is("${table}")) td.verify-${state}`;
}

async function main() {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'],
    timeout: 60000,
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.setDefaultTimeout(30000);
    const dialogs = [];
    const confirmed = [];
    page.on('dialog', dialog => {
      // Only the switchover's question is expected (and answered yes).
      if (dialog.type() === 'confirm' && dialog.message().startsWith('Make slave1 the master')) {
        confirmed.push(dialog.message());
        dialog.accept();
        return;
      }
      dialogs.push(dialog.message());
      dialog.dismiss();
    });
    const pageErrors = [];
    page.on('pageerror', error => pageErrors.push(String(error)));

    await page.goto(url);
    // No token yet: the page asks for one and shows no data.
    await page.locator('#token-panel').waitFor({ state: 'visible' });
    check(await page.locator('#dashboard').isHidden(), 'dashboard visible before a token was given');
    await page.fill('#token', token);
    await page.click('#token-form button');
    await page.locator('#dashboard').waitFor({ state: 'visible' });
    await waitForState(page, 'slave1', 'online', 30000);
    await waitForState(page, 'slave2', 'online', 30000);
    console.log('both slaves online');

    await page.fill('#sql', [
      'CREATE DATABASE browser;',
      'CREATE TABLE browser.fruit (id INT PRIMARY KEY, name VARCHAR(60));',
      `INSERT INTO browser.fruit VALUES (1, 'apple'), (2, '${XSS}');`,
      'SELECT id, name FROM browser.fruit ORDER BY id;',
    ].join('\n'));
    await page.click('#run');
    const table = page.locator('#results table.result-table');
    await table.waitFor({ state: 'visible' });
    const cells = await table.locator('tbody td').allTextContents();
    check(JSON.stringify(cells) === JSON.stringify(['1', 'apple', '2', XSS]),
          'SELECT rows shown wrong: ' + JSON.stringify(cells));
    // The value is text in the cell, not markup: no element came of it.
    check(await page.locator('#results script').count() === 0, 'a <script> element was created from a row value');
    const statuses = await page.locator('#results .result').count();
    check(statuses === 4, `expected 4 statement results, saw ${statuses}`);
    console.log('SQL box ran CREATE, INSERT, SELECT and shows the rows as text');

    // The log panel shows the new records (as text too).
    await page.locator('#log tbody tr').first().waitFor();
    await page.waitForFunction(
      xss => [...document.querySelectorAll('#log pre')].some(p => p.textContent.includes(xss)), XSS,
      { timeout: 10000 });

    // A CALL's result sets each get a table.
    await page.fill('#sql', [
      'DELIMITER //',
      'CREATE PROCEDURE browser.both() BEGIN SELECT COUNT(*) AS n FROM browser.fruit; ' +
        'SELECT name FROM browser.fruit WHERE id = 1; END//',
      'DELIMITER ;',
      'CALL browser.both();',
    ].join('\n'));
    await page.click('#run');
    const callTables = page.locator('#results .result:last-child table.result-table');
    await callTables.nth(1).waitFor({ state: 'visible' });
    const callCells = await callTables.locator('tbody td').allTextContents();
    check(JSON.stringify(callCells) === JSON.stringify(['2', 'apple']),
          'CALL result sets shown wrong: ' + JSON.stringify(callCells));
    console.log('a CALL shows each of its result sets');

    // The effective configuration, secrets masked: the token typed above
    // is never on the page.
    await page.locator('#config tbody tr').first().waitFor({ state: 'attached' });
    const configRows = await page.locator('#config tbody tr').evaluateAll(
      rows => rows.map(row => [...row.querySelectorAll('td')].map(td => td.textContent)));
    const tokenRow = configRows.find(row => row[0] === 'http_token');
    check(tokenRow && tokenRow[1] === '********', 'http_token not shown masked: ' + JSON.stringify(tokenRow));
    check(configRows.some(row => row[0] === 'max_lag_seconds' && row[3] === 'live'),
          'max_lag_seconds not listed as live: ' + JSON.stringify(configRows));
    check(!(await page.locator('#config').textContent()).includes(token), 'the token is shown in the config table');
    check((await page.locator('#last-reload').textContent()).includes('no reload since the master started'),
          'last reload not shown');
    console.log('configuration shown with secrets masked');

    // Consistency: "Verify now" checks every table; the new one is equal
    // on both slaves, so it gets no Repair button.
    await page.click('#verify-now');
    // A locator, not waitForFunction: its polling evaluates strings, which
    // the page's Content-Security-Policy forbids.
    await page.locator(verifyCell('browser.fruit', 'equal')).waitFor({ timeout: 30000 });
    check(await page.locator('#verify tbody button').count() === 0, 'a Repair button on an equal table');
    check((await page.locator('#verify-progress').textContent()).includes('continuous mode off'),
          'continuous mode not shown off: ' + await page.locator('#verify-progress').textContent());
    console.log('Verify now: browser.fruit shown equal');

    // A row changed on slave2 behind ddb's back: the next check shows the
    // table differing, and its Repair button makes it equal again.
    await askTest('DRIFT_SLAVE2', 'drifted');
    await page.click('#verify-now');
    await page.locator(verifyCell('browser.fruit', 'differs')).waitFor({ timeout: 30000 });
    const row = page.locator('#verify tbody tr:has(td:text-is("browser.fruit"))');
    check((await row.textContent()).includes('on slave2'), 'the difference does not name slave2: ' +
          await row.textContent());
    await row.locator('button').click();
    await page.locator('#verify-message').filter({ hasText: 'all nodes equal' }).waitFor({ timeout: 60000 });
    await page.locator(verifyCell('browser.fruit', 'equal')).waitFor({ timeout: 30000 });
    console.log('Repair: browser.fruit shown equal again');
    await page.waitForTimeout(1500);  // a few lag samples in the chart
    await page.screenshot({ path: screenshot, fullPage: true });
    console.log('screenshot written to ' + screenshot);

    await askTest('STOP_SLAVE2', 'stopped');
    const took = await waitForState(page, 'slave2', 'offline', offlineDeadline);
    console.log(`slave2 shown offline ${took} ms after it stopped (deadline ${offlineDeadline} ms)`);
    check((await stateOf(page, 'slave1')) === 'online', 'slave1 no longer online');

    // The failover history: one epoch so far, the first master's.
    const epochs = await page.locator('#epochs tbody tr').allTextContents();
    check(epochs.length === 1 && epochs[0].includes('master'), 'epochs table: ' + JSON.stringify(epochs));
    check(await page.locator('#nodes tr[data-node="slave2"] button.switchover').isDisabled(),
          'Switch over offered for the offline slave2');
    // Switch over to slave1: the page asks first, then follows it to the end.
    await page.locator('#nodes tr[data-node="slave1"] button.switchover').click();
    await page.locator('#switchover-message').filter({ hasText: 'slave1 is the master now' })
        .waitFor({ timeout: 30000 });
    check(confirmed.length === 1, 'the switchover did not ask first');
    check(await page.locator('#switchover-message a').count() === 1, 'no link to the new master\'s dashboard');
    console.log('Switch over: slave1 is the master now');

    check(dialogs.length === 0, 'a dialog fired: ' + JSON.stringify(dialogs));
    check(pageErrors.length === 0, 'errors on the page: ' + JSON.stringify(pageErrors));
    console.log('PASS');
  } finally {
    await browser.close();
  }
}

main().then(() => process.exit(0), error => {
  console.log('FAIL: ' + (error && error.stack ? error.stack : error));
  process.exit(1);
});
