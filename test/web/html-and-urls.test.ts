/** The escaping template and the URL scheme: the two places every page relies on. */
import { describe, expect, it } from 'vitest';
import { escapeHtml, html, trustedHtml } from '../../src/web/html.js';
import { githubHref, parseHubPath, repositoryPath, symbolHref, viewPath } from '../../src/web/urls.js';

describe('html template', () => {
  it('escapes every interpolation, arrays included, unless it is SafeHtml', () => {
    const name = `<img src=x onerror="alert('1')">&\``;
    const rendered = html`<a title="${name}">${name}</a>${[name, html`<b>${name}</b>`]}${trustedHtml('<br>')}`.value;
    expect(rendered).toBe(
      '<a title="&lt;img src=x onerror=&quot;alert(&#39;1&#39;)&quot;&gt;&amp;&#96;">&lt;img src=x onerror=&quot;alert(&#39;1&#39;)&quot;&gt;&amp;&#96;</a>' +
        '&lt;img src=x onerror=&quot;alert(&#39;1&#39;)&quot;&gt;&amp;&#96;<b>&lt;img src=x onerror=&quot;alert(&#39;1&#39;)&quot;&gt;&amp;&#96;</b><br>',
    );
    expect(html`${null}${undefined}${false}${true}${0}`.value).toBe('0');
    expect(escapeHtml('a&b')).toBe('a&amp;b');
  });
});

describe('hub URLs', () => {
  it('builds readable URLs and parses them back', () => {
    const runc = { repository: 'github.com/opencontainers/runc' };
    expect(symbolHref(runc, 'main.startContainer')).toBe('/github.com/opencontainers/runc/-/symbol/main.startContainer');
    expect(symbolHref({ ...runc, commit: 'fba5a1ec' }, 'libcontainer.(*Container).Run')).toBe(
      '/github.com/opencontainers/runc@fba5a1ec/-/symbol/libcontainer.(*Container).Run',
    );
    expect(parseHubPath('/github.com/opencontainers/runc@FBA5A1EC/-/symbol/libcontainer.(*Container).Run')).toEqual({
      kind: 'view',
      address: { repository: 'github.com/opencontainers/runc', commit: 'fba5a1ec' },
      view: 'symbol',
      rest: 'libcontainer.(*Container).Run',
    });
    const awkward = { repository: 'example.com/a b@c', commit: 'dir-0d13e212' };
    const id = 'go:dir/with space/%odd#file?.go:pkg.F';
    expect(parseHubPath(symbolHref(awkward, id))).toEqual({ kind: 'view', address: awkward, view: 'symbol', rest: id });
    expect(parseHubPath(repositoryPath(awkward))).toEqual({ kind: 'repository', address: awkward });
    expect(parseHubPath(viewPath(runc, 'file', 'a/b.go'))).toMatchObject({ view: 'file', rest: 'a/b.go' });
    expect(parseHubPath('/')).toBeUndefined();
    expect(parseHubPath('/-/search')).toBeUndefined();
  });

  it('refuses malformed paths with invalid-input', () => {
    for (const path of ['/x/-/symbol/%E0%A4%A', '/x/-/nope/y', '/x/-/symbol/a%00b', '/x/%2E%2E/-/symbol/y', `/${'a'.repeat(5000)}`]) {
      expect(() => parseHubPath(path), path).toThrow(expect.objectContaining({ code: 'invalid-input' }));
    }
  });

  it('links to exactly the lines on GitHub, for github.com repositories at a full commit only', () => {
    const commit = 'fba5a1ec2358e2523fec6f5ecdd4514dbdf2666c';
    expect(githubHref('github.com/opencontainers/runc', commit, 'utils_linux.go', 367, 418)).toBe(
      `https://github.com/opencontainers/runc/blob/${commit}/utils_linux.go#L367-L418`,
    );
    expect(githubHref('github.com/o/r', commit, 'dir/a b#.go', 3, 3)).toBe(`https://github.com/o/r/blob/${commit}/dir/a%20b%23.go#L3`);
    expect(githubHref('gitlab.com/o/r', commit, 'a.go', 1, 2)).toBeUndefined();
    expect(githubHref('github.com/o/r', 'dir-0d13e212', 'a.go', 1, 2)).toBeUndefined();
  });
});
