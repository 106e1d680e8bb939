import assert from 'node:assert/strict';
import { test } from 'node:test';
import { toUtc } from './timestamps.js';

test('every timestamp dialect in the evidence becomes ISO UTC with milliseconds', () => {
  const cases: [unknown, string | null, Parameters<typeof toUtc>[1]?][] = [
    ['2023-08-18T16:00:03.919Z', '2023-08-18T16:00:03.919Z'],
    ['2021-08-02T13:11:39.7724491Z', '2021-08-02T13:11:39.772Z'], // 7 fraction digits (Defender)
    ['2022-05-11T12:29:19.905+0000', '2022-05-11T12:29:19.905Z'], // Wazuh
    ['2019-01-10T17:33:50.185917-0400', '2019-01-10T21:33:50.185Z'], // Suricata local offset
    ['2020-07-22T00:18:45+05:30', '2020-07-21T18:48:45.000Z'],
    [1692374165.735188, '2023-08-18T15:56:05.735Z'], // Zeek epoch seconds
    ['1692374165.735188', '2023-08-18T15:56:05.735Z'],
    [1682752652103, '2023-04-29T07:17:32.103Z'], // epoch milliseconds
    ['2023-08-18 16:00:03.919', '2023-08-18T16:00:03.919Z', { zonelessIsUtc: true }], // Sysmon UtcTime
    ['2023-08-18 16:00:03.919', null], // zone-less and not known to be UTC (NXLog EventTime)
    ['May 11 12:29:18', '2022-05-11T12:29:18.000Z', { year: 2022 }], // syslog without a year
    ['May 11 12:29:18', null],
    ['2023-02-30T00:00:00Z', null], // no such day
    ['2023-08-18T24:00:00Z', null],
    ['yesterday', null],
    ['2021', null], // a year is not an epoch
    ['20210802', null],
    ['Feb 30 12:29:18', null, { year: 2022 }], // syslog dates are checked too
    [null, null],
    [-5, null],
  ];
  for (const [input, expected, options] of cases) assert.equal(toUtc(input, options), expected, `toUtc(${JSON.stringify(input)})`);
});
