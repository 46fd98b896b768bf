/**
 * Incremental indexing of Python: a new commit resolves only the files its
 * changes can affect, and the result equals a full index of the same
 * commit, whichever way a change reaches an unchanged file.
 */
import { describe, expect, it } from 'vitest';
import { TestRepo } from './helpers/git-repo.js';
import { expectIncrementalEqualsFull, indexCommitsAndCompare, updateWorktreeAndCompare } from './helpers/incremental.js';

const V1: Record<string, string> = {
  'pyproject.toml': '[project]\nname = "shop"\n',
  // A package whose __init__ re-exports, and a module with __all__.
  'shop/__init__.py': 'from .core import checkout\n',
  'shop/core.py': 'def checkout():\n    return total()\n\n\ndef total():\n    return 1\n\n\ndef refund():\n    return 0\n',
  'shop/api/__init__.py': 'from .stars import *\n',
  'shop/api/stars.py': "__all__ = ['visible']\n\n\ndef visible():\n    pass\n\n\ndef hidden():\n    pass\n",
  'app.py': 'from shop import checkout, refund\nfrom shop.api import hidden, visible\n\n\ndef main():\n    checkout()\n    refund()\n    visible()\n    hidden()\n',
  // A class hierarchy two files deep, and a class whose base may become a TestCase.
  'shop/models/__init__.py': '',
  'shop/models/base.py': 'class Model:\n    def save(self):\n        pass\n',
  'shop/models/mixin.py': 'class Mixin:\n    def archive(self):\n        pass\n',
  'shop/models/order.py': 'from .base import Model\n\n\nclass Order(Model):\n    pass\n',
  'shop/service.py': 'from shop.models.order import Order\n\n\ndef place():\n    order = Order()\n    order.save()\n    order.archive()\n',
  'shop/checks.py': 'from shop.models.base import Model\n\n\nclass OrderChecks(Model):\n    def test_total(self):\n        self.save()\n',
  // A module that will become a package.
  'shop/util.py': 'def fmt():\n    return ""\n',
  'shop/report.py': 'from shop.util import fmt\n\n\ndef report():\n    return fmt()\n',
  // A directory that will become a package: every module name below it changes.
  'lib/helpers.py': 'class Helper:\n    def assist(self):\n        pass\n',
  'lib/tools.py': 'from .helpers import Helper\n\n\ndef use():\n    Helper().assist()\n',
  'consumer.py': 'from lib.helpers import Helper\n\n\ndef consume():\n    Helper().assist()\n',
  // A receiver of unknown type: only a name-only guess can resolve it.
  'shop/loose.py': 'def poke(thing):\n    thing.frobnicate()\n',
  'shop/nudge.py': 'def nudge(thing):\n    thing.assist()\n',
  // A package that will lose a submodule an unchanged file reaches as an attribute.
  'shop/plugins/__init__.py': '',
  'shop/plugins/first.py': 'def run():\n    pass\n',
  'shop/plugins/second.py': 'def run():\n    pass\n',
  'shop/usage.py': 'import shop.plugins as plugins\n\n\ndef use():\n    plugins.first.run()\n    plugins.second.run()\n',
  // A top-level name of the repository that will go: the import then names a package outside it.
  'vendorlib.py': 'VERSION = 1\n',
  'loader.py': 'from vendorlib.registry import register\n\n\ndef load():\n    register()\n',
  // Star imports in a cycle: what ring_b offers must not depend on ring_a being asked first.
  'ring/ring_a.py': 'from ring_b import *\nfrom ring_c import *\n',
  'ring/ring_b.py': 'from ring_a import *\n',
  'ring/ring_c.py': 'def deep():\n    pass\n',
  'ring/a_user.py': 'from ring_a import deep\n\n\ndef via_a():\n    deep()\n',
  'ring/b_user.py': 'from ring_b import deep\n\n\ndef via_b():\n    deep()\n',
  // Nothing here depends on anything that changes.
  'scripts/standalone.py': 'def alpha():\n    beta()\n\n\ndef beta():\n    pass\n',
  'scripts/quiet.py': 'from standalone import alpha\n\n\ndef quiet():\n    alpha()\n',
};

/** The second commit: edits that reach unchanged files in every way the resolver looks across files. */
function applyV2(repo: TestRepo): void {
  repo.write({
    // A new __init__ re-export: app.py's refund resolves.
    'shop/__init__.py': 'from .core import checkout, refund\n',
    // __all__ grows: shop.api's star import now brings hidden, which app.py imports.
    'shop/api/stars.py': "__all__ = ['visible', 'hidden']\n\n\ndef visible():\n    pass\n\n\ndef hidden():\n    pass\n",
    // A base class gains bases: archive is inherited along the MRO, and OrderChecks becomes a TestCase.
    'shop/models/base.py': 'import unittest\n\nfrom .mixin import Mixin\n\n\nclass Model(Mixin, unittest.TestCase):\n    def save(self):\n        pass\n',
    // A module becomes a package: report.py's import now finds shop/util/__init__.py.
    'shop/util/__init__.py': '# Now a package.\ndef fmt():\n    return ""\n',
    // lib/ becomes a package: helpers and tools are now lib.helpers and lib.tools.
    'lib/__init__.py': '',
    // A method of the name loose.py calls appears in an unrelated file.
    'shop/gadget.py': 'class Gadget:\n    def frobnicate(self):\n        pass\n',
  });
  repo.remove('shop/util.py');
  repo.remove('shop/plugins/second.py');
  repo.remove('vendorlib.py');
  // Only this file of the cycle changes.
  repo.write({ 'ring/b_user.py': 'from ring_b import deep\n\n\ndef via_b():\n    deep()\n    deep()\n' });
}

describe('incremental indexing of Python', () => {
  it('resolves only the affected files and equals a full index of the new commit', async () => {
    const repo = TestRepo.create(V1);
    const v1 = repo.commit('v1');
    applyV2(repo);
    const v2 = repo.commit('v2');
    repo.write({ 'scripts/standalone.py': 'def alpha():\n    beta()\n    beta()\n\n\ndef beta():\n    pass\n' });
    const v3 = repo.commit('v3');

    const second = await indexCommitsAndCompare(repo.path, 'example.com/shop', [v1, v2]);
    // Files that reach no change: shop/core.py, shop/models/mixin.py, shop/plugins/first.py,
    // ring/{ring_a,ring_b,ring_c,a_user}.py, scripts/standalone.py, scripts/quiet.py.
    expectIncrementalEqualsFull(second, { changed: 10, reused: 9 });

    // The changes really changed the answers (so the equality above is not vacuous).
    const text = second.incrementalText;
    expect(text).toContain('app.main → shop.core.refund (shop/core.py:9)');
    expect(text).toContain('app.main → shop.api.stars.hidden (shop/api/stars.py:8)');
    expect(text).toContain('shop.service.place → shop.models.mixin.Mixin.archive (shop/models/mixin.py:2)');
    expect(text).toMatch(/test +shop\.checks\.OrderChecks\.test_total /);
    expect(text).toContain('shop.report.report → shop.util.fmt (shop/util/__init__.py:2)');
    expect(text).toContain('lib.tools.use → lib.helpers.Helper.assist (lib/helpers.py:2)');
    expect(text).toContain('consumer.consume → lib.helpers.Helper.assist (lib/helpers.py:2)');
    // A name-only guess at a method whose module was renamed follows the new id.
    expect(text).toContain('shop.nudge.nudge → lib.helpers.Helper.assist (lib/helpers.py:2)  py.name-only');
    expect(text).toContain('shop.usage.use → shop.plugins.first.run');
    expect(text).toContain('shop.usage.use: plugins.second.run  (receiver type unknown)');
    expect(text).toContain('loader.load → [vendorlib] vendorlib.registry register');
    expect(text).toContain('a_user.via_a → ring_c.deep');
    expect(text).toContain('b_user.via_b → ring_c.deep');
    expect(text).toContain('shop.loose.poke → shop.gadget.Gadget.frobnicate (shop/gadget.py:2)  py.name-only');

    const local = await indexCommitsAndCompare(repo.path, 'example.com/shop', [v2, v3]);
    expect(local.incrementalText).toBe(local.fullText);
    // standalone.py alone: a call added inside a body is nothing quiet.py, which imports it, can see.
    expect(local.steps[1]!.incremental).toMatchObject({ changedFiles: 1, resolvedFiles: 1 });
  });

  it('updates a working tree graph in place, equal to a full index of the edited files', async () => {
    const repo = TestRepo.create(V1);
    repo.commit('v1');
    const result = await updateWorktreeAndCompare(repo.path, 'example.com/shop', () => applyV2(repo));
    expect(result.updated.graph.id).toBe(result.first.graph.id);
    expect(result.updated.incremental?.reusedFiles).toBe(9);
    expect(result.updatedText).toBe(result.fullText);
  });
});
