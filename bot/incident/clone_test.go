package incident

import (
	"fmt"
	"reflect"
	"testing"
	"time"
)

// fill sets every field reachable from v to a value that is not zero:
// two entries in each map, two elements in each slice, a target for each
// pointer.
func fill(t *testing.T, v reflect.Value, n *int) {
	t.Helper()
	*n++
	switch v.Kind() {
	case reflect.String:
		v.SetString(fmt.Sprint("s", *n))
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int64:
		v.SetInt(int64(*n))
	case reflect.Uint64:
		v.SetUint(uint64(*n))
	case reflect.Struct:
		if v.Type() == reflect.TypeFor[time.Time]() {
			v.Set(reflect.ValueOf(time.Unix(int64(*n)*1000, 0).UTC()))
			return
		}
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fill(t, v.Field(i), n)
			}
		}
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fill(t, v.Elem(), n)
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 2, 2))
		for i := range 2 {
			fill(t, v.Index(i), n)
		}
	case reflect.Map:
		v.Set(reflect.MakeMap(v.Type()))
		for range 2 {
			k, e := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
			fill(t, k, n)
			fill(t, e, n)
			v.SetMapIndex(k, e)
		}
	default:
		t.Fatalf("fill: %s of kind %s: teach the test", v.Type(), v.Kind())
	}
}

// shares reports the first map, slice or pointer a and b have in common.
func shares(a, b reflect.Value, path string) string {
	switch a.Kind() {
	case reflect.Pointer:
		if a.IsNil() {
			return ""
		}
		if a.Pointer() == b.Pointer() {
			return path
		}
		return shares(a.Elem(), b.Elem(), "*"+path)
	case reflect.Map:
		if a.IsNil() {
			return ""
		}
		if a.Pointer() == b.Pointer() {
			return path
		}
		for _, k := range a.MapKeys() {
			if p := shares(a.MapIndex(k), b.MapIndex(k), fmt.Sprintf("%s[%v]", path, k)); p != "" {
				return p
			}
		}
	case reflect.Slice:
		if a.Len() > 0 && a.Pointer() == b.Pointer() {
			return path
		}
		for i := range a.Len() {
			if p := shares(a.Index(i), b.Index(i), fmt.Sprintf("%s[%d]", path, i)); p != "" {
				return p
			}
		}
	case reflect.Struct:
		for i := range a.NumField() {
			if a.Type().Field(i).IsExported() {
				if p := shares(a.Field(i), b.Field(i), path+"."+a.Type().Field(i).Name); p != "" {
					return p
				}
			}
		}
	}
	return ""
}

// A clone is equal to its original and shares nothing with it, whatever
// field is set: a field added to Incident and forgotten by Clone fails
// here (a map or a pointer shared would let a change to one copy show in
// the store's own).
func TestCloneIsDeep(t *testing.T) {
	var inc Incident
	var n int
	fill(t, reflect.ValueOf(&inc).Elem(), &n)
	c := inc.Clone()
	if !reflect.DeepEqual(&inc, c) {
		t.Fatalf("clone differs:\n%+v\n%+v", inc, *c)
	}
	if p := shares(reflect.ValueOf(&inc), reflect.ValueOf(c), "inc"); p != "" {
		t.Fatalf("the clone shares %s with the original", p)
	}
	c.Steps["s9"] = nil
	for k := range c.Answers {
		c.Answers[k][0].Value = "changed"
	}
	for _, st := range c.Steps {
		if st != nil && st.Proof != nil {
			st.Proof.Ref = "changed"
		}
	}
	if reflect.DeepEqual(&inc, c) {
		t.Fatal("changing the clone changed the original")
	}
	if (*Incident)(nil).Clone() != nil || (&Incident{}).Clone().Answers != nil {
		t.Fatal("a nil incident or map is not kept nil")
	}
}
