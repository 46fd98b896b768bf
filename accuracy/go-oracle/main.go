// Command go-oracle prints the call graph of one Go repository as go/types
// sees it: for every call expression in every package it can type-check, the
// caller, the call site and what is called. graphhub's accuracy harness
// (src/accuracy/) compares graphhub's edges with this output.
//
// It uses the standard library only and runs offline in GOPATH mode
// (GO111MODULE=off): the repository must sit at $GOPATH/src/<import path>,
// its vendor/ directory is honoured, and imports outside the repository are
// type-checked from source (go/importer "source"). Packages that this Go
// version cannot type-check are reported and their calls left out.
//
// Output: JSON lines, one record per package and one per call; names follow
// graphhub's `export edges` format (methods as `Recv.Method` without the
// pointer star, package-level code named by its file path at line 1).
//
//	go-oracle -root /path/to/gopath/src/github.com/org/repo
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"go/ast"
	"go/build"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"unicode/utf16"
)

// End is one end of an edge: a function, a method or a file.
type End struct {
	File string `json:"file"`
	Name string `json:"name"`
	Line int    `json:"line"`
}

// Site is where a call is written: the position of the called name.
type Site struct {
	File string `json:"file"`
	Line int    `json:"line"`
	Col  int    `json:"col"`
}

// Call is one call expression. Kind says what go/types found:
//
//	static     a function or a concrete method (callee is exact)
//	interface  a method called through an interface or a type parameter
//	           (callee is the interface method; any implementation in
//	           alternatives is an acceptable target too)
//	funcvalue  a package-level variable whose only value is a function
//	dynamic    a function value, a func-typed field, a closure: no static target
//	builtin    a builtin function (len, append, …)
//	conversion a type conversion T(x)
type Call struct {
	Record       string `json:"record"`
	Kind         string `json:"kind"`
	Caller       End    `json:"caller"`
	Site         Site   `json:"site"`
	Callee       *End   `json:"callee,omitempty"`
	Alternatives []End  `json:"alternatives,omitempty"`
	// External names a callee outside the repository: package path and name.
	External string `json:"external,omitempty"`
}

// Package reports one type-checked (or failed) package.
type Package struct {
	Record     string   `json:"record"`
	Dir        string   `json:"dir"`
	ImportPath string   `json:"importPath"`
	Test       bool     `json:"test"`
	Files      []string `json:"files"`
	// Ignored are Go files of the directory that the build context leaves out
	// (other GOOS/GOARCH, build tags): their edges cannot be checked here.
	Ignored []string `json:"ignored,omitempty"`
	// Unparsable files are left out of the check (syntax errors).
	Unparsable []string `json:"unparsable,omitempty"`
	// TestsLeftOut are test files left out of an otherwise clean check.
	TestsLeftOut []string `json:"testsLeftOut,omitempty"`
	TestsReason  string   `json:"testsReason,omitempty"`
	Vendor       bool     `json:"vendor,omitempty"`
	Status       string   `json:"status"`
	Errors       []string `json:"errors,omitempty"`
}

type checked struct {
	dir    string
	pkg    *types.Package
	info   *types.Info
	files  []*ast.File
	names  []string
	errors []string
	vendor bool
	// parsed are the file names that parsed; unparsable the paths that did not
	parsed     []string
	unparsable []string
	// testsLeftOut are in-package test files dropped because the package
	// does not type-check with them (testsReason says why).
	testsLeftOut []string
	testsReason  string
}

type oracle struct {
	root     string
	ctx      *build.Context
	fset     *token.FileSet
	fallback types.ImporterFrom
	byDir    map[string]*checked
	inFlight map[string]bool
	order    []*checked
	xtests   []*checked
	out      *bufio.Writer
	// every named type of the repository, for interface dispatch
	named    []*types.Named
	implMemo map[string][]End
	sources  map[string][]byte
	// package-level function variables: the function each holds, or nil
	funcVars map[*types.Var]*types.Func
}

func main() {
	root := flag.String("root", "", "repository root, inside $GOPATH/src")
	flag.Parse()
	if *root == "" {
		fmt.Fprintln(os.Stderr, "usage: go-oracle -root DIR")
		os.Exit(2)
	}
	abs, err := filepath.Abs(*root)
	if err == nil {
		abs, err = filepath.EvalSymlinks(abs)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "go-oracle:", err)
		os.Exit(2)
	}
	ctx := build.Default
	ctx.CgoEnabled = false
	build.Default.CgoEnabled = false
	fset := token.NewFileSet()
	o := &oracle{
		root:     abs,
		ctx:      &ctx,
		fset:     fset,
		fallback: importer.ForCompiler(fset, "source", nil).(types.ImporterFrom),
		byDir:    map[string]*checked{},
		inFlight: map[string]bool{},
		out:      bufio.NewWriterSize(os.Stdout, 1<<16),
		implMemo: map[string][]End{},
		sources:  map[string][]byte{},
	}
	defer o.out.Flush()

	dirs := o.packageDirs()
	for _, dir := range dirs {
		o.checkDir(dir)
		if x := o.checkXTest(dir); x != nil {
			o.xtests = append(o.xtests, x)
		}
	}
	o.collectNamed()
	for _, c := range o.order {
		o.report(c, false)
	}
	for _, x := range o.xtests {
		o.report(x, true)
	}
}

// packageDirs lists the repository's own package directories: no vendor,
// testdata, hidden or underscore directories.
func (o *oracle) packageDirs() []string {
	var dirs []string
	filepath.WalkDir(o.root, func(path string, d os.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return nil
		}
		if path != o.root {
			base := d.Name()
			if base == "vendor" || base == "testdata" || strings.HasPrefix(base, ".") || strings.HasPrefix(base, "_") {
				return filepath.SkipDir
			}
		}
		dirs = append(dirs, path)
		return nil
	})
	sort.Strings(dirs)
	return dirs
}

// all is every checked package, the xtest packages included.
func (o *oracle) all() []*checked {
	return append(append([]*checked{}, o.order...), o.xtests...)
}

func (o *oracle) inRoot(path string) bool {
	return path == o.root || strings.HasPrefix(path, o.root+string(filepath.Separator))
}

func (o *oracle) rel(path string) string {
	r, err := filepath.Rel(o.root, path)
	if err != nil {
		return path
	}
	return filepath.ToSlash(r)
}

// ImportFrom type-checks packages of the repository (and its vendor tree)
// itself, so that the whole repository shares one set of type objects, and
// hands every other import to the source importer.
func (o *oracle) ImportFrom(path, dir string, mode types.ImportMode) (*types.Package, error) {
	if path == "unsafe" {
		return types.Unsafe, nil
	}
	bp, err := o.ctx.Import(path, dir, build.FindOnly)
	if err == nil {
		if real, err := filepath.EvalSymlinks(bp.Dir); err == nil {
			bp.Dir = real
		}
	}
	if err == nil && o.inRoot(bp.Dir) {
		c := o.checkDir(bp.Dir)
		if c == nil || c.pkg == nil {
			return nil, fmt.Errorf("cannot import %s", path)
		}
		if len(c.errors) > 0 && !c.vendor {
			return c.pkg, fmt.Errorf("%s has type errors", path)
		}
		// A vendored package is checked without function bodies, and one
		// with errors (newer Go than this oracle's) is still imported: only
		// its declarations matter, and a repository package that uses a
		// declaration it could not type fails its own check.
		return c.pkg, nil
	}
	return o.fallback.ImportFrom(path, dir, 0)
}

func (o *oracle) Import(path string) (*types.Package, error) {
	return o.ImportFrom(path, o.root, 0)
}

// checkDir type-checks a directory's package together with its in-package
// test files (an in-package test cannot import a package that imports it, so
// this never creates a cycle) and remembers it.
func (o *oracle) checkDir(dir string) *checked {
	if c, ok := o.byDir[dir]; ok {
		return c
	}
	if o.inFlight[dir] {
		return nil
	}
	bp, err := o.ctx.ImportDir(dir, 0)
	if err != nil {
		if _, ok := err.(*build.NoGoError); ok {
			o.byDir[dir] = nil
			return nil
		}
		if bp == nil || len(bp.GoFiles) == 0 {
			c := &checked{dir: dir, errors: []string{err.Error()}, vendor: o.isVendor(dir)}
			o.byDir[dir] = c
			o.order = append(o.order, c)
			return c
		}
	}
	o.inFlight[dir] = true
	defer delete(o.inFlight, dir)
	vendor := o.isVendor(dir)
	names := append([]string{}, bp.GoFiles...)
	if !vendor {
		names = append(names, bp.TestGoFiles...)
	}
	c := o.check(dir, bp.ImportPath, names, vendor)
	if err != nil {
		c.errors = append(c.errors, err.Error())
	}
	if len(c.errors) > 0 && len(bp.TestGoFiles) > 0 && !vendor {
		// The tests may need what this Go cannot have (a fixture module, a
		// newer API); the package without them is still worth checking.
		plain := o.check(dir, bp.ImportPath, bp.GoFiles, vendor)
		if len(plain.errors) == 0 {
			for _, name := range bp.TestGoFiles {
				plain.testsLeftOut = append(plain.testsLeftOut, o.rel(filepath.Join(dir, name)))
			}
			plain.testsReason = c.errors[0]
			c = plain
		}
	}
	o.byDir[dir] = c
	o.order = append(o.order, c)
	return c
}

func (o *oracle) checkXTest(dir string) *checked {
	bp, err := o.ctx.ImportDir(dir, 0)
	if err != nil || len(bp.XTestGoFiles) == 0 {
		return nil
	}
	return o.check(dir, bp.ImportPath+"_test", bp.XTestGoFiles, false)
}

func (o *oracle) isVendor(dir string) bool {
	return strings.Contains(o.rel(dir)+"/", "vendor/")
}

func (o *oracle) check(dir, importPath string, names []string, vendor bool) *checked {
	c := &checked{dir: dir, vendor: vendor, names: names}
	for _, name := range names {
		file, err := parser.ParseFile(o.fset, filepath.Join(dir, name), nil, parser.SkipObjectResolution)
		if err != nil {
			// A file that does not parse is left out (and reported); the
			// package is checked without it, as graphhub indexes the rest.
			c.unparsable = append(c.unparsable, o.rel(filepath.Join(dir, name)))
			continue
		}
		c.files = append(c.files, file)
		c.parsed = append(c.parsed, name)
	}
	c.info = &types.Info{
		Types:      map[ast.Expr]types.TypeAndValue{},
		Uses:       map[*ast.Ident]types.Object{},
		Defs:       map[*ast.Ident]types.Object{},
		Selections: map[*ast.SelectorExpr]*types.Selection{},
	}
	conf := types.Config{
		Importer:         o,
		FakeImportC:      true,
		IgnoreFuncBodies: vendor,
		Error: func(err error) {
			if len(c.errors) < 20 {
				c.errors = append(c.errors, err.Error())
			}
		},
	}
	c.pkg, _ = conf.Check(importPath, o.fset, c.files, c.info)
	return c
}

// collectNamed gathers every named, non-generic, non-interface type declared
// in the repository's checked packages: the candidates for interface dispatch.
func (o *oracle) collectNamed() {
	seen := map[*types.Named]bool{}
	for _, c := range o.all() {
		if c == nil || c.info == nil {
			continue
		}
		for _, obj := range c.info.Defs {
			tn, ok := obj.(*types.TypeName)
			if !ok || tn.IsAlias() {
				continue
			}
			named, ok := tn.Type().(*types.Named)
			if !ok || seen[named] || named.TypeParams().Len() > 0 || types.IsInterface(named) {
				continue
			}
			seen[named] = true
			o.named = append(o.named, named)
		}
	}
	sort.Slice(o.named, func(i, j int) bool { return o.named[i].Obj().Pos() < o.named[j].Obj().Pos() })
}

func (o *oracle) report(c *checked, test bool) {
	rec := Package{Record: "package", Dir: o.rel(c.dir), Test: test, Status: "ok", Errors: c.errors}
	if c.pkg != nil {
		rec.ImportPath = c.pkg.Path()
	}
	for _, name := range c.parsed {
		rec.Files = append(rec.Files, o.rel(filepath.Join(c.dir, name)))
	}
	rec.Unparsable = c.unparsable
	rec.TestsLeftOut = c.testsLeftOut
	rec.TestsReason = c.testsReason
	if bp, err := o.ctx.ImportDir(c.dir, 0); err == nil || bp != nil {
		for _, name := range bp.IgnoredGoFiles {
			rec.Ignored = append(rec.Ignored, o.rel(filepath.Join(c.dir, name)))
		}
	}
	if c.vendor {
		// Vendored code is checked for its declarations only: reported so
		// that its build-excluded files are known, never scored.
		rec.Vendor = true
		rec.Status = "declarations"
		o.emit(rec)
		return
	}
	if len(c.errors) > 0 || c.pkg == nil {
		rec.Status = "error"
		o.emit(rec)
		return
	}
	o.emit(rec)
	for _, file := range c.files {
		o.walkFile(c, file)
	}
}

func (o *oracle) emit(v interface{}) {
	data, _ := json.Marshal(v)
	o.out.Write(data)
	o.out.WriteByte('\n')
}

func (o *oracle) walkFile(c *checked, file *ast.File) {
	path := o.rel(o.fset.Position(file.Package).Filename)
	fileCaller := End{File: path, Name: path, Line: 1}
	for _, decl := range file.Decls {
		caller := fileCaller
		if fn, ok := decl.(*ast.FuncDecl); ok {
			caller = End{File: path, Name: funcDeclName(fn), Line: o.fset.Position(fn.Name.Pos()).Line}
		}
		ast.Inspect(decl, func(n ast.Node) bool {
			if call, ok := n.(*ast.CallExpr); ok {
				o.emitCall(c, caller, call)
			}
			return true
		})
	}
}

// unparen strips parentheses (ast.Unparen arrived after Go 1.19).
func unparen(e ast.Expr) ast.Expr {
	for {
		p, ok := e.(*ast.ParenExpr)
		if !ok {
			return e
		}
		e = p.X
	}
}

func funcDeclName(fn *ast.FuncDecl) string {
	if fn.Recv == nil || len(fn.Recv.List) == 0 {
		return fn.Name.Name
	}
	return receiverBase(fn.Recv.List[0].Type) + "." + fn.Name.Name
}

func receiverBase(expr ast.Expr) string {
	switch t := expr.(type) {
	case *ast.StarExpr:
		return receiverBase(t.X)
	case *ast.ParenExpr:
		return receiverBase(t.X)
	case *ast.IndexExpr:
		return receiverBase(t.X)
	case *ast.IndexListExpr:
		return receiverBase(t.X)
	case *ast.Ident:
		return t.Name
	}
	return "?"
}

func (o *oracle) emitCall(c *checked, caller End, call *ast.CallExpr) {
	fun := unparen(call.Fun)
	rec := Call{Record: "call", Caller: caller, Site: o.site(nameNode(fun))}
	if tv, ok := c.info.Types[fun]; ok && tv.IsType() {
		rec.Kind = "conversion"
		o.emit(rec)
		return
	}
	if tv, ok := c.info.Types[fun]; ok && tv.IsBuiltin() {
		rec.Kind = "builtin"
		o.emit(rec)
		return
	}
	o.classify(c, fun, &rec)
	o.emit(rec)
}

// nameNode is the node whose position graphhub records as the call site:
// the called name (`Sel` of a selector), else the expression itself.
func nameNode(fun ast.Expr) ast.Node {
	switch f := fun.(type) {
	case *ast.SelectorExpr:
		return f.Sel
	case *ast.IndexExpr:
		return nameNode(unparen(f.X))
	case *ast.IndexListExpr:
		return nameNode(unparen(f.X))
	}
	return fun
}

// site is where graphhub records a call: its line, and its column in UTF-16
// code units plus one (what tree-sitter's Node binding reports; go/token
// counts bytes, which differs after non-ASCII text on the line).
func (o *oracle) site(n ast.Node) Site {
	p := o.fset.Position(n.Pos())
	return Site{File: o.rel(p.Filename), Line: p.Line, Col: o.utf16Column(p)}
}

func (o *oracle) utf16Column(p token.Position) int {
	src, ok := o.sources[p.Filename]
	if !ok {
		src, _ = os.ReadFile(p.Filename)
		o.sources[p.Filename] = src
	}
	start := p.Offset - (p.Column - 1)
	if start < 0 || p.Offset > len(src) {
		return p.Column
	}
	return len(utf16.Encode([]rune(string(src[start:p.Offset])))) + 1
}

func (o *oracle) classify(c *checked, fun ast.Expr, rec *Call) {
	switch f := fun.(type) {
	case *ast.Ident:
		o.fromObject(c, c.info.Uses[f], rec)
	case *ast.SelectorExpr:
		sel, ok := c.info.Selections[f]
		if !ok {
			// A qualified identifier: pkg.Func or pkg.Var.
			o.fromObject(c, c.info.Uses[f.Sel], rec)
			return
		}
		switch sel.Kind() {
		case types.FieldVal:
			rec.Kind = "dynamic"
		case types.MethodVal, types.MethodExpr:
			method, _ := sel.Obj().(*types.Func)
			if method == nil {
				rec.Kind = "dynamic"
				return
			}
			// The method's own receiver decides dispatch: a method promoted
			// from an interface embedded in a struct is an interface call too.
			recv := sel.Recv()
			if sig, ok := method.Type().(*types.Signature); ok && sig.Recv() != nil && types.IsInterface(sig.Recv().Type()) {
				recv = sig.Recv().Type()
			}
			if isInterfaceLike(recv) {
				rec.Kind = "interface"
				if _, named := derefType(recv).(*types.Named); named {
					o.setCallee(method, rec)
				}
				// A method of an interface literal has no declaration to name;
				// only the implementations are targets.
				rec.Alternatives = o.implementations(recv, method)
				return
			}
			rec.Kind = "static"
			o.setCallee(method, rec)
		}
	case *ast.IndexExpr:
		o.classify(c, unparen(f.X), rec)
	case *ast.IndexListExpr:
		o.classify(c, unparen(f.X), rec)
	default:
		rec.Kind = "dynamic"
	}
}

func (o *oracle) fromObject(c *checked, obj types.Object, rec *Call) {
	switch x := obj.(type) {
	case *types.Func:
		rec.Kind = "static"
		o.setCallee(x, rec)
	case *types.Var:
		rec.Kind = "dynamic"
		if fn := o.packageFuncValue(x); fn != nil {
			rec.Kind = "funcvalue"
			o.setCallee(fn, rec)
		}
	case *types.Builtin:
		rec.Kind = "builtin"
	case *types.TypeName:
		rec.Kind = "conversion"
	default:
		rec.Kind = "dynamic"
	}
}

// packageFuncValue: a package-level `var f = g` (g a function) that nothing
// in the repository assigns again is a call of g.
func (o *oracle) packageFuncValue(v *types.Var) *types.Func {
	if v.Parent() == nil || v.Pkg() == nil || v.Parent() != v.Pkg().Scope() {
		return nil
	}
	if o.funcVars == nil {
		o.indexFuncVars()
	}
	return o.funcVars[v]
}

// indexFuncVars finds, once, every package-level variable initialised with
// a function and never assigned again anywhere in the repository.
func (o *oracle) indexFuncVars() {
	o.funcVars = map[*types.Var]*types.Func{}
	assigned := map[*types.Var]bool{}
	for _, c := range o.all() {
		if c == nil || c.info == nil {
			continue
		}
		for _, file := range c.files {
			ast.Inspect(file, func(n ast.Node) bool {
				switch s := n.(type) {
				case *ast.ValueSpec:
					for i, name := range s.Names {
						v, ok := c.info.Defs[name].(*types.Var)
						if ok && i < len(s.Values) && v.Parent() == v.Pkg().Scope() {
							if fn := funcOf(c.info, s.Values[i]); fn != nil {
								o.funcVars[v] = fn
							}
						}
					}
				case *ast.AssignStmt:
					for _, lhs := range s.Lhs {
						if v, ok := usedVar(c.info, lhs); ok {
							assigned[v] = true
						}
					}
				case *ast.UnaryExpr:
					// &f lets anything assign it.
					if s.Op == token.AND {
						if v, ok := usedVar(c.info, s.X); ok {
							assigned[v] = true
						}
					}
				}
				return true
			})
		}
	}
	for v := range assigned {
		delete(o.funcVars, v)
	}
}

func usedVar(info *types.Info, expr ast.Expr) (*types.Var, bool) {
	switch e := unparen(expr).(type) {
	case *ast.Ident:
		v, ok := info.Uses[e].(*types.Var)
		return v, ok
	case *ast.SelectorExpr:
		v, ok := info.Uses[e.Sel].(*types.Var)
		return v, ok
	}
	return nil, false
}

func funcOf(info *types.Info, expr ast.Expr) *types.Func {
	switch e := unparen(expr).(type) {
	case *ast.Ident:
		fn, _ := info.Uses[e].(*types.Func)
		return fn
	case *ast.SelectorExpr:
		if _, ok := info.Selections[e]; ok {
			return nil
		}
		fn, _ := info.Uses[e.Sel].(*types.Func)
		return fn
	}
	return nil
}

func derefType(t types.Type) types.Type {
	if p, ok := t.(*types.Pointer); ok {
		return p.Elem()
	}
	return t
}

func isInterfaceLike(t types.Type) bool {
	if _, ok := t.(*types.TypeParam); ok {
		return true
	}
	if p, ok := t.(*types.Pointer); ok {
		if _, ok := p.Elem().(*types.TypeParam); ok {
			return true
		}
	}
	return types.IsInterface(t)
}

// setCallee names the callee if it is declared in the repository, else
// records it as external.
func (o *oracle) setCallee(fn *types.Func, rec *Call) {
	if end, ok := o.endOf(fn); ok {
		rec.Callee = &end
		return
	}
	if fn.Pkg() != nil {
		rec.External = fn.Pkg().Path() + " " + qualifiedMethodName(fn)
	}
}

func (o *oracle) endOf(fn *types.Func) (End, bool) {
	if fn.Origin() != nil {
		fn = fn.Origin()
	}
	p := o.fset.Position(fn.Pos())
	if !p.IsValid() || !o.inRoot(p.Filename) {
		return End{}, false
	}
	return End{File: o.rel(p.Filename), Name: qualifiedMethodName(fn), Line: p.Line}, true
}

func qualifiedMethodName(fn *types.Func) string {
	sig, _ := fn.Type().(*types.Signature)
	if sig == nil || sig.Recv() == nil {
		return fn.Name()
	}
	t := sig.Recv().Type()
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	if n, ok := t.(*types.Named); ok {
		return n.Obj().Name() + "." + fn.Name()
	}
	// A method of an interface literal has no named receiver.
	return fn.Name()
}

// implementations lists the methods of the repository's concrete types that
// implement the interface (or type parameter constraint) the call goes through.
func (o *oracle) implementations(recv types.Type, method *types.Func) []End {
	if p, ok := recv.(*types.Pointer); ok {
		recv = p.Elem()
	}
	var iface *types.Interface
	switch t := recv.(type) {
	case *types.TypeParam:
		iface, _ = t.Constraint().Underlying().(*types.Interface)
	default:
		iface, _ = t.Underlying().(*types.Interface)
	}
	if iface == nil {
		return nil
	}
	key := types.TypeString(recv, nil) + "#" + method.Name()
	if cached, ok := o.implMemo[key]; ok {
		return cached
	}
	var ends []End
	seen := map[End]bool{}
	for _, named := range o.named {
		var candidate types.Type
		if types.Implements(named, iface) {
			candidate = named
		} else if ptr := types.NewPointer(named); types.Implements(ptr, iface) {
			candidate = ptr
		} else {
			continue
		}
		obj, _, _ := types.LookupFieldOrMethod(candidate, true, method.Pkg(), method.Name())
		fn, ok := obj.(*types.Func)
		if !ok {
			continue
		}
		if end, ok := o.endOf(fn); ok && !seen[end] {
			seen[end] = true
			ends = append(ends, end)
		}
	}
	o.implMemo[key] = ends
	return ends
}
