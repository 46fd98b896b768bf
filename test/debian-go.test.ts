/**
 * Real code: Debian ships Go sources under /usr/share/gocode/src. logrus and
 * a logrus hook (lfshook) are indexed, and the hook's calls into logrus show
 * up as logrus's uses in the wild. `.ci/run` installs both packages.
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { WildAnswer } from '../src/query/wild.js';
import { graphhub, graphhubJson } from './helpers/cli.js';
import { tempDir } from './helpers/temp.js';

const LOGRUS = '/usr/share/gocode/src/github.com/sirupsen/logrus';
const LFSHOOK = '/usr/share/gocode/src/github.com/rifflock/lfshook';
const available = existsSync(LOGRUS) && existsSync(LFSHOOK);

describe('Debian Go sources', () => {
  it('packages are installed (CI installs golang-github-sirupsen-logrus-dev and golang-github-rifflock-lfshook-dev)', () => {
    if (!available && !process.env.CI) {
      console.warn('skipping the Debian Go test: apt-get install golang-github-sirupsen-logrus-dev golang-github-rifflock-lfshook-dev');
      return;
    }
    expect(available).toBe(true);
  });

  it.runIf(available)("lists lfshook's calls as logrus's uses in the wild", () => {
    const data = tempDir();
    expect(graphhub(data, 'index', LOGRUS, '--repo', 'github.com/sirupsen/logrus').code).toBe(0);
    expect(graphhub(data, 'index', LFSHOOK, '--repo', 'github.com/rifflock/lfshook').code).toBe(0);
    const format = graphhubJson<WildAnswer>(data, 'wild', 'logrus.Formatter.Format', '--repo', 'github.com/sirupsen/logrus');
    expect(format.status).toBe('ok');
    expect(format.repositories.map((r) => r.repository)).toEqual(['github.com/rifflock/lfshook']);
    const sites = format.repositories[0]!.sites;
    expect(sites.length).toBeGreaterThanOrEqual(2);
    for (const site of sites) {
      expect(site.file).toBe('lfshook.go');
      expect(site.excerpt?.verified).toBe(true);
      expect(site.excerpt?.lines.join('\n')).toMatch(/Format\(/);
    }
    const created = graphhubJson<WildAnswer>(data, 'wild', 'logrus.New', '--repo', 'github.com/sirupsen/logrus');
    expect(created.totalSites).toBeGreaterThanOrEqual(1);
    // logrus's own calls of New do not count as uses in the wild.
    expect(created.repositories.every((r) => r.repository !== 'github.com/sirupsen/logrus')).toBe(true);
  });
});
