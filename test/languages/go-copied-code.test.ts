/** Recognising hand-made copies of other modules' Go code from the package doc comment. */
import { describe, expect, it } from 'vitest';
import { copiedFrom, importPathOf, originModule } from '../../src/languages/go/copied-code.js';

describe('copiedFrom', () => {
  it("reads runc's copy of go-systemd", () => {
    const text = `// Copyright 2015 CoreOS, Inc.
//
// Licensed under the Apache License, Version 2.0.

//go:build !windows

// Package activation implements primitives for systemd socket activation.
//
// It is a partial copy of https://github.com/coreos/go-systemd/v22/activation
// (https://github.com/coreos/go-systemd/blob/ce60782c0aabb616faa8e60f91e639d91f631e99/activation/files_unix.go),
// to avoid bringing in crypto/tls dependency.
package activation
`;
    expect(copiedFrom(text)).toBe('github.com/coreos/go-systemd/v22/activation');
  });

  it('reads a /* */ doc, a page of a file at a revision, and "forked from"', () => {
    expect(copiedFrom('/*\nPackage yaml was copied from\nhttps://github.com/go-yaml/yaml/tree/v2.4.0/internal.\n*/\npackage yaml\n')).toBe('github.com/go-yaml/yaml/internal');
    expect(copiedFrom('// Forked from golang.org/x/sys/unix (BSD licence).\npackage unix\n')).toBe('golang.org/x/sys/unix');
    expect(copiedFrom('// Code taken from https://gitlab.com/o/r/blob/abc123/pkg/util/util.go.\npackage util\n')).toBe('gitlab.com/o/r/pkg/util');
  });

  it('ignores what names no origin, and comments that are not the package doc', () => {
    expect(copiedFrom('// Package clone returns a copy of the map it is given.\npackage clone\n')).toBeUndefined();
    expect(copiedFrom('// A copy of github.com/a/b, but a blank line follows.\n\npackage b\n')).toBeUndefined();
    expect(copiedFrom('package main\n\n// copy of github.com/a/b\nfunc f() {}\n')).toBeUndefined();
    expect(copiedFrom('// copy of github.com/a/b\n')).toBeUndefined();
    expect(copiedFrom('// copy of ../../etc/passwd\npackage x\n')).toBeUndefined();
  });
});

describe('importPathOf and originModule', () => {
  it('turns URLs into import paths and refuses what is not one', () => {
    expect(importPathOf('(https://github.com/o/r.git)')).toBe('github.com/o/r');
    expect(importPathOf('https://example.com/a?x=1#y')).toBe('example.com/a');
    expect(importPathOf('localhost/x')).toBeUndefined();
    expect(importPathOf('github.com/<script>/x')).toBeUndefined();
    expect(importPathOf('github.com/../../etc')).toBeUndefined();
  });

  it('prefers a module the repository requires, else the repository part of a known host', () => {
    expect(originModule('github.com/coreos/go-systemd/v22/activation', ['github.com/coreos/go-systemd/v22'])).toBe('github.com/coreos/go-systemd/v22');
    expect(originModule('github.com/coreos/go-systemd/v22/activation', [])).toBe('github.com/coreos/go-systemd/v22');
    expect(originModule('github.com/o/r/pkg/x', [])).toBe('github.com/o/r');
    expect(originModule('golang.org/x/sys/unix', [])).toBe('golang.org/x/sys');
    expect(originModule('gopkg.in/yaml.v2', [])).toBe('gopkg.in/yaml.v2');
    expect(originModule('example.com/lib', [])).toBe('example.com/lib');
  });
});
