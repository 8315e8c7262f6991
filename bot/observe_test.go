package bot_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vigie-sante/vigie/bot"
)

// strictObserver is the harness's Observer: it keeps, for a check at the
// end of the test, every label value reported that the lists of
// observe.go do not hold, and that the metrics would therefore not show
// before its first occurrence.
type strictObserver struct {
	mu       sync.Mutex // guards unlisted
	unlisted []string
}

func newStrictObserver(t *testing.T) *strictObserver {
	o := &strictObserver{}
	t.Cleanup(func() {
		o.mu.Lock()
		defer o.mu.Unlock()
		for _, u := range o.unlisted {
			t.Errorf("observed a label value not listed in observe.go: %s", u)
		}
	})
	return o
}

func (o *strictObserver) check(what, v string, listed []string) {
	if slices.Contains(listed, v) {
		return
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	o.unlisted = append(o.unlisted, what+" "+strconv.Quote(v))
}

func (o *strictObserver) Command(verb string, click bool, outcome string, d time.Duration) {
	o.check("verb", verb, bot.Verbs())
	o.check("outcome", outcome, bot.CommandOutcomes)
}
func (o *strictObserver) Swept(bot.SweepStats)        {}
func (o *strictObserver) PlatformError(op string)     { o.check("platform op", op, bot.PlatformOps) }
func (o *strictObserver) ChainBroken()                {}
func (o *strictObserver) CardDelivered(time.Duration) {}
func (o *strictObserver) OutboxRetry(cause string) {
	o.check("retry cause", cause, bot.OutboxRetryCauses)
}

// TestObservedValuesListed reads the bot's source: every value passed to
// PlatformError, OutboxRetry and Command (its verb and outcome) is a
// constant of a list the metrics initialise at start, or a variable only
// ever set to one (the verb: also a parsed command's, which
// TestParsedVerbsListed covers). A new operation written as a literal, or
// a constant left out of its list, fails here rather than on the day an
// alert needed it.
func TestObservedValuesListed(t *testing.T) {
	fset := token.NewFileSet()
	var files []*ast.File
	names, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range names {
		if !strings.HasSuffix(n.Name(), ".go") || strings.HasSuffix(n.Name(), "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, n.Name(), nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	consts := map[string]string{} // the package's string constants
	funcs := map[string]*ast.FuncDecl{}
	for _, f := range files {
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.GenDecl:
				if d.Tok != token.CONST {
					continue
				}
				for _, s := range d.Specs {
					vs := s.(*ast.ValueSpec)
					for i, id := range vs.Names {
						if i < len(vs.Values) {
							if lit, ok := vs.Values[i].(*ast.BasicLit); ok && lit.Kind == token.STRING {
								consts[id.Name], _ = strconv.Unquote(lit.Value)
							}
						}
					}
				}
			case *ast.FuncDecl:
				if d.Recv == nil {
					funcs[d.Name.Name] = d
				}
			}
		}
	}
	listed := func(e ast.Expr, list []string) bool {
		id, ok := e.(*ast.Ident)
		if !ok {
			return false
		}
		v, isConst := consts[id.Name]
		return isConst && slices.Contains(list, v)
	}
	// assigned checks every value given to the variable name in fn.
	assigned := func(fn ast.Node, name string, ok func(ast.Expr) bool) []ast.Expr {
		var bad []ast.Expr
		ast.Inspect(fn, func(n ast.Node) bool {
			if as, isAssign := n.(*ast.AssignStmt); isAssign && len(as.Lhs) == len(as.Rhs) {
				for i, l := range as.Lhs {
					if id, isID := l.(*ast.Ident); isID && id.Name == name && !ok(as.Rhs[i]) {
						bad = append(bad, as.Rhs[i])
					}
				}
			}
			return true
		})
		return bad
	}
	calls := map[string]int{}
	for _, f := range files {
		for _, d := range f.Decls {
			fn, isFunc := d.(*ast.FuncDecl)
			if !isFunc || fn.Body == nil {
				continue
			}
			ast.Inspect(fn.Body, func(n ast.Node) bool {
				call, isCall := n.(*ast.CallExpr)
				if !isCall {
					return true
				}
				sel, isSel := call.Fun.(*ast.SelectorExpr)
				if !isSel || !strings.HasSuffix(source(sel.X), "Observer") {
					return true
				}
				at := fset.Position(call.Pos())
				bad := func(what string, e ast.Expr) {
					t.Errorf("%s: %s(%s): %s", at, sel.Sel.Name, source(e), what)
				}
				calls[sel.Sel.Name]++
				switch sel.Sel.Name {
				case "PlatformError":
					if !listed(call.Args[0], bot.PlatformOps) {
						bad("not a constant of bot.PlatformOps", call.Args[0])
					}
				case "OutboxRetry":
					arg := call.Args[0]
					if c, isCall := arg.(*ast.CallExpr); isCall {
						if id, isID := c.Fun.(*ast.Ident); isID && funcs[id.Name] != nil {
							ast.Inspect(funcs[id.Name].Body, func(n ast.Node) bool {
								if r, isRet := n.(*ast.ReturnStmt); isRet && !listed(r.Results[0], bot.OutboxRetryCauses) {
									bad("returns "+source(r.Results[0])+", not a constant of bot.OutboxRetryCauses", arg)
								}
								return true
							})
							return true
						}
					}
					if !listed(arg, bot.OutboxRetryCauses) {
						bad("not a constant of bot.OutboxRetryCauses", arg)
					}
				case "Command":
					verb, outcome := call.Args[0], call.Args[2]
					verbOK := func(e ast.Expr) bool {
						if s, isSel := e.(*ast.SelectorExpr); isSel && s.Sel.Name == "verb" {
							return true // a parsed command's
						}
						return listed(e, bot.Verbs())
					}
					outcomeOK := func(e ast.Expr) bool { return listed(e, bot.CommandOutcomes) }
					for _, c := range []struct {
						arg ast.Expr
						ok  func(ast.Expr) bool
					}{{verb, verbOK}, {outcome, outcomeOK}} {
						id, isID := c.arg.(*ast.Ident)
						if _, isConst := consts[source(c.arg)]; isConst || !isID {
							if !c.ok(c.arg) {
								bad("not a listed constant", c.arg)
							}
							continue
						}
						for _, e := range assigned(fn, id.Name, c.ok) {
							bad(id.Name+" set to "+source(e)+" at "+fset.Position(e.Pos()).String()+", not a listed constant", c.arg)
						}
					}
				}
				return true
			})
		}
	}
	// The test reads what it means to read: the calls are there.
	for _, m := range []string{"PlatformError", "OutboxRetry", "Command"} {
		if calls[m] == 0 {
			t.Errorf("no call to Observer.%s found: the test no longer reads the bot's calls", m)
		}
	}
}

// source renders a short expression as its source, for messages.
func source(e ast.Expr) string {
	switch e := e.(type) {
	case *ast.Ident:
		return e.Name
	case *ast.SelectorExpr:
		return source(e.X) + "." + e.Sel.Name
	case *ast.BasicLit:
		return e.Value
	case *ast.CallExpr:
		return source(e.Fun) + "(…)"
	}
	return "…"
}
