"""Dict and set methods and builtins, for compiled code, written once in
Python.

pyaot compiles these like the user's own functions, where they are called
and specialised for each call's argument types. The primitives (item access,
`in`, get, setdefault, pop, del, add, discard, remove, iteration) are
compiled directly; what is made of them is here. `implements` names what
each function stands for ("dict.update" is the method, "builtins.set" the
builtin).
"""

IMPLEMENTS = {}


def implements(*names):
    def register(func):
        for name in names:
            IMPLEMENTS[name] = func
        return func
    return register


@implements("builtins.dict")
def dict_of(mapping):
    r = {}
    for k, v in mapping.items():
        r[k] = v
    return r


@implements("dict.__from_pairs__")
def dict_of_pairs(pairs):
    """dict(iterable) of (key, value) pairs: dict(zip(keys, values))."""
    r = {}
    for k, v in pairs:
        r[k] = v
    return r


@implements("dict.__eq__")
def dict_eq(self, other):
    if len(self) != len(other):
        return False
    for k, v in self.items():
        if k not in other:
            return False
        if not (other[k] == v):
            return False
    return True


@implements("dict.__ne__")
def dict_ne(self, other):
    return not dict_eq(self, other)


@implements("set.__eq__")
def set_eq(self, other):
    if len(self) != len(other):
        return False
    for x in self:
        if x not in other:
            return False
    return True


@implements("set.__ne__")
def set_ne(self, other):
    return not set_eq(self, other)


@implements("dict.update")
def dict_update(self, other):
    for k, v in other.items():
        self[k] = v


@implements("builtins.set")
def set_of(iterable):
    r = set()
    for x in iterable:
        r.add(x)
    return r


@implements("set.update")
def set_update(self, iterable):
    for x in iterable:
        self.add(x)


@implements("set.__or__")
def set_or(self, other):
    r = self.copy()
    for x in other:
        r.add(x)
    return r


@implements("set.__and__")
def set_and(self, other):
    r = set()
    for x in self:
        if x in other:
            r.add(x)
    return r


@implements("set.__sub__")
def set_sub(self, other):
    r = set()
    for x in self:
        if x not in other:
            r.add(x)
    return r


@implements("dict.__min__")
def min_of(iterable):
    """min() of a dict, a set or a dict's view."""
    first = True
    m = 0
    for x in iterable:
        if first or x < m:
            m = x
            first = False
    if first:
        raise ValueError("min() arg is an empty sequence")
    return m


@implements("dict.__max__")
def max_of(iterable):
    """max() of a dict, a set or a dict's view."""
    first = True
    m = 0
    for x in iterable:
        if first or x > m:
            m = x
            first = False
    if first:
        raise ValueError("max() arg is an empty sequence")
    return m
