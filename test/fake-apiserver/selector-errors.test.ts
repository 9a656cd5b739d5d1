/**
 * Label selector parse errors in the words of apimachinery's `labels` parser (what a real API
 * server answers with 400 for a bad `labelSelector` on list and watch).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeApiServer, type FakeApiServer } from './index.js';
import { parseLabelSelector } from './label-selector.js';
import { call } from './test-helpers.js';

const message = (selector: string): string => {
  try {
    parseLabelSelector(selector);
  } catch (e) {
    return (e as Error).message;
  }
  return 'parsed';
};

describe('label selector errors', () => {
  it.each([
    ['app in web', "unable to parse requirement: found 'web' expected: '('"],
    ['app in (a b)', "unable to parse requirement: found 'b', expected: ',' or ')'"],
    ['app in (=)', "unable to parse requirement: found '=', expected: ',', ')' or identifier"],
    ['app', 'parsed'],
    ['app ~ x', "unable to parse requirement: found '~', expected: in, notin, =, ==, !=, gt, lt"],
    ['!app=x', "unable to parse requirement: found 'app', expected: ',' or 'end of string'"],
    ['app=(x)', "unable to parse requirement: found '(', expected: identifier"],
    ['=x', "found '=', expected: !, identifier, or 'end of string'"],
    ['a,', "found '', expected: identifier after ','"],
    ['a b', "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt"],
    ['a=b c', "found 'c', expected: ',' or 'end of string'"],
    ['n>x', "unable to parse requirement: values[0]: Invalid value: \"x\": for 'Gt', 'Lt' operators, the value must be an integer"],
    ['n<', "unable to parse requirement: values[0]: Invalid value: \"\": for 'Gt', 'Lt' operators, the value must be an integer"],
  ])('%s', (selector, expected) => {
    expect(message(selector)).toBe(expected);
  });

  it('names an invalid key and an invalid value as the server does', () => {
    expect(message('-a=b')).toMatch(/^unable to parse requirement: <nil>: Invalid value: "-a": name part must consist of alphanumeric characters/);
    expect(message('a in (ok,-bad)')).toMatch(/^unable to parse requirement: values\[0\]\[a\]: Invalid value: "-bad": a valid label must be an empty string/);
  });
});

describe('on the wire', () => {
  let server: FakeApiServer;
  beforeAll(async () => {
    server = await startFakeApiServer({ clusterBootstrap: false });
  });
  afterAll(async () => {
    await server.close();
  });

  it('answers list and watch with 400 BadRequest and the parser message', async () => {
    for (const watch of ['', '&watch=true']) {
      const r = await call<{ reason: string; message: string; code: number }>(server.url, 'GET', `/api/v1/pods?labelSelector=${encodeURIComponent('app in web')}${watch}`);
      expect(r.status).toBe(400);
      expect(r.body).toMatchObject({ code: 400, reason: 'BadRequest', message: "unable to parse requirement: found 'web' expected: '('" });
    }
  });
});
