// The Python side of the sandbox (see sandbox.ts): a bootstrap written into the run's temporary folder and run as
// `python3 -I -B -u bootstrap.py`. It applies the resource limits and the audit hook BEFORE any candidate code runs,
// then loads the solution, splits the tests into statements and reports each result as a JSON line on fd 3.
export const PYTHON_BOOTSTRAP = String.raw`
import ast, json, os, resource, signal, sys, traceback

sys.dont_write_bytecode = True
ROOT = os.path.realpath(os.getcwd())
with open(os.path.join(ROOT, "config.json"), encoding="utf-8") as _f:
    CFG = json.load(_f)
with open(os.path.join(ROOT, "solution.py"), encoding="utf-8") as _f:
    SOLUTION = _f.read()
with open(os.path.join(ROOT, "tests.py"), encoding="utf-8") as _f:
    TESTS = _f.read()
_OUT = 3
_PID = os.getpid()


def emit(**ev):
    try:
        os.write(_OUT, (json.dumps(ev, default=repr) + "\n").encode("utf-8", "replace"))
    except Exception:
        pass


def short(text, n=300):
    text = str(text)
    return text if len(text) <= n else text[: n - 3] + "..."


def srepr(value):
    try:
        return short(repr(value), 200)
    except BaseException as e:  # a repr that raises
        return "<unrepresentable %s>" % type(e).__name__


# ---- layer: resource limits (memory, CPU seconds, file size, no core files, no new processes) ----
def _limit(res, value):
    try:
        soft, hard = resource.getrlimit(res)
        if hard != resource.RLIM_INFINITY and value > hard:
            value = hard
        resource.setrlimit(res, (value, value))
        return True
    except (ValueError, OSError):
        return False


MEMORY_MB = CFG["memoryMb"]
layers = []
if _limit(resource.RLIMIT_AS, MEMORY_MB * 1024 * 1024):
    layers.append("rlimit-as")
if _limit(resource.RLIMIT_CPU, CFG["cpuSeconds"]):
    layers.append("rlimit-cpu")
if _limit(resource.RLIMIT_FSIZE, CFG["fileBytes"]):
    layers.append("rlimit-fsize")
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a too large write raises OSError instead of killing
_limit(resource.RLIMIT_CORE, 0)
if _limit(resource.RLIMIT_NPROC, 0) and os.geteuid() != 0:
    # RLIMIT_NPROC is ignored for root (and CAP_SYS_RESOURCE): only count it when we run unprivileged.
    layers.append("rlimit-nproc")
emit(t="layers", layers=layers)

# ---- layer: audit hook (network, new processes, writes outside the folder, native code) ----
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC
_PROC_EVENTS = {
    "os.fork", "os.forkpty", "os.system", "os.exec", "os.posix_spawn", "os.spawn", "subprocess.Popen",
    "os.kill", "os.killpg", "os.startfile", "pty.spawn", "signal.pthread_kill",
}
_NET_EVENTS = {
    "socket.connect", "socket.bind", "socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyname_ex",
    "socket.gethostbyaddr", "socket.getnameinfo", "socket.sendto", "socket.sendmsg",
}
_PATH_EVENTS = {
    "os.remove", "os.rmdir", "os.mkdir", "os.chmod", "os.chown", "os.truncate", "os.utime", "shutil.rmtree",
    "os.chflags", "os.lchflags", "os.setxattr", "os.removexattr", "os.mkfifo", "os.mknod",
}
_busy = [False]
_refused = []


def _path(p):
    if isinstance(p, int):
        return None
    if isinstance(p, bytes):
        p = os.fsdecode(p)
    return os.path.realpath(os.path.join(os.getcwd(), os.fspath(p)))


def _inside(p):
    try:
        q = _path(p)
    except Exception:
        return False
    return q is None or q == ROOT or q.startswith(ROOT + os.sep) or q == "/dev/null"


def _refuse(what):
    _refused.append(what)
    emit(t="refused", what=what)
    raise PermissionError("refused by the sandbox: " + what)


def _check(event, args):
    if event in _PROC_EVENTS:
        if event == "os.kill" and args and args[0] == _PID:
            return
        _refuse("starting or signalling a process (%s)" % event)
    elif event in _NET_EVENTS:
        if event == "socket.connect":
            _refuse("network connection to %s" % (args[1],))
        elif event == "socket.bind":
            _refuse("binding a socket to %s" % (args[1],))
        elif event == "socket.getaddrinfo":
            _refuse("network access to %s:%s (address lookup)" % (args[0], args[1]))
        elif event.startswith("socket.get"):
            _refuse("network name lookup of %s" % (args[0],))
        _refuse("sending on a socket (%s)" % event)
    elif event == "open":
        path, mode, flags = (tuple(args) + (None, None, None))[:3]
        writing = (isinstance(mode, str) and any(c in mode for c in "wax+")) or (
            isinstance(flags, int) and flags & _WRITE_FLAGS
        )
        if writing and not _inside(path):
            _refuse("writing to %s outside its folder" % (path,))
        if isinstance(path, (str, bytes)):
            q = _path(path)
            parts = q.split(os.sep) if q else []
            if len(parts) > 2 and parts[1] == "proc" and parts[2].isdigit() and int(parts[2]) != _PID:
                _refuse("reading another process's %s" % q)
    elif event in _PATH_EVENTS:
        if args and not _inside(args[0]):
            _refuse("changing %s outside its folder (%s)" % (args[0], event))
    elif event in ("os.rename", "os.replace", "os.symlink", "os.link", "shutil.move", "shutil.copyfile"):
        if len(args) >= 2 and not (_inside(args[0]) and _inside(args[1])):
            _refuse("linking or moving %s to %s outside its folder" % (args[0], args[1]))
    elif event.startswith("ctypes."):
        _refuse("native code through ctypes (%s)" % event)


def _hook(event, args):
    if _busy[0]:
        return
    _busy[0] = True
    try:
        _check(event, args)
    finally:
        _busy[0] = False


sys.addaudithook(_hook)
emit(t="layers", layers=["audit-hook"])
try:
    sys.stdout.reconfigure(line_buffering=True)
except Exception:
    pass


# ---- the run ----
def last_line_in(tb, filename):
    """The line of the innermost frame of a traceback that runs in filename ("<solution>" or "<tests>")."""
    line = None
    for frame, lineno in traceback.walk_tb(tb):
        if frame.f_code.co_filename == filename:
            line = lineno
    return line


def solution_line(tb):
    return last_line_in(tb, "<solution>")


def tests_line(tb):
    return last_line_in(tb, "<tests>")


def exc_info(e):
    if isinstance(e, MemoryError):
        what = "memory beyond the limit of %d MB" % MEMORY_MB
        if what not in _refused:
            _refused.append(what)
            emit(t="refused", what=what)
        return dict(type="MemoryError", message="memory limit of %d MB exceeded" % MEMORY_MB,
                    line=solution_line(e.__traceback__))
    if isinstance(e, SyntaxError) and e.filename == "<solution>":
        return dict(type=type(e).__name__, message=short(e.msg), line=e.lineno)
    return dict(type=type(e).__name__, message=short(e), line=solution_line(e.__traceback__))


def finish():
    emit(t="done")
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except Exception:
        pass
    os._exit(0)


ns = {"__name__": "__solution__", "__builtins__": __builtins__}
try:
    exec(compile(SOLUTION, "<solution>", "exec"), ns)
except BaseException as e:
    emit(t="load_error", phase="solution", **exc_info(e))
    finish()

try:
    tree = ast.parse(TESTS, "<tests>")
except SyntaxError as e:
    emit(t="load_error", phase="tests", type="SyntaxError", message=short(e.msg), line=None, testLine=e.lineno)
    finish()

ENTRY = CFG.get("entryPoint")
check = None
if ENTRY:
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name == "check":
            check = node


def is_check_call(node):
    return (isinstance(node, ast.Expr) and isinstance(node.value, ast.Call)
            and isinstance(node.value.func, ast.Name) and node.value.func.id == "check")


# Source of every assert and of the sides of its comparison, taken before the rewrite below.
ASSERTS = {}
for node in ast.walk(tree):
    if isinstance(node, ast.Assert):
        t = node.test
        info = {"src": ast.get_source_segment(TESTS, node) or "assert ..."}
        if isinstance(t, ast.Compare) and len(t.ops) == 1:
            info["left"] = ast.get_source_segment(TESTS, t.left)
            info["right"] = ast.get_source_segment(TESTS, t.comparators[0])
            info["leftCall"] = isinstance(t.left, ast.Call)
            info["rightCall"] = isinstance(t.comparators[0], ast.Call)
        ASSERTS[node.lineno] = info

_LAST = {}
_OPS = {
    "Eq": lambda a, b: a == b, "NotEq": lambda a, b: a != b, "Lt": lambda a, b: a < b, "LtE": lambda a, b: a <= b,
    "Gt": lambda a, b: a > b, "GtE": lambda a, b: a >= b, "Is": lambda a, b: a is b, "IsNot": lambda a, b: a is not b,
    "In": lambda a, b: a in b, "NotIn": lambda a, b: a not in b,
}


def __tg_cmp(line, a, b, op):
    _LAST[line] = ("cmp", a, b, op)
    return _OPS[op](a, b)


def __tg_val(line, v):
    _LAST[line] = ("val", v)
    return v


class _Rewrite(ast.NodeTransformer):
    def visit_Assert(self, node):
        t = node.test
        line = ast.Constant(node.lineno)
        if isinstance(t, ast.Compare) and len(t.ops) == 1:
            new = ast.Call(ast.Name("__tg_cmp", ast.Load()),
                           [line, t.left, t.comparators[0], ast.Constant(type(t.ops[0]).__name__)], [])
        elif isinstance(t, ast.UnaryOp) and isinstance(t.op, ast.Not):
            new = ast.UnaryOp(ast.Not(), ast.Call(ast.Name("__tg_val", ast.Load()), [line, t.operand], []))
        else:
            new = ast.Call(ast.Name("__tg_val", ast.Load()), [line, t], [])
        node.test = ast.copy_location(new, t)
        return node


tree = _Rewrite().visit(tree)
ast.fix_missing_locations(tree)


def explain(line, err):
    info = ASSERTS.get(line, {})
    rec = _LAST.get(line)
    parts = []
    if rec and rec[0] == "cmp":
        _, a, b, op = rec
        if op in ("Eq", "Is") and not info.get("leftCall") and info.get("rightCall"):
            a, b = b, a
            info = dict(info, left=info.get("right"), right=info.get("left"), leftCall=True)
        if op in ("Eq", "Is") and info.get("leftCall"):
            got = "got %s" % srepr(a)
            if info.get("right") is not None and srepr(b) != info.get("right"):
                got += " (expected %s)" % srepr(b)
            parts.append(got)
        else:
            parts.append("%s was %s" % (info.get("left") or "the left side", srepr(a)))
            if info.get("right") is not None and srepr(b) != info.get("right"):
                parts[-1] += " and %s was %s" % (info["right"], srepr(b))
    elif rec:
        parts.append("got %s" % srepr(rec[1]))
    msg = str(err)
    if msg and "good for debugging" not in msg:
        parts.append(short(msg, 200))
    return "; ".join(parts) or "the assertion was false"


def has_assert(node):
    return any(isinstance(n, ast.Assert) for n in ast.walk(node))


if check is not None:
    if ENTRY not in ns:
        emit(t="load_error", phase="solution", type="NameError",
             message="the solution defines no function %r" % ENTRY, line=None)
        finish()
    setup = [n for n in tree.body if n is not check and not is_check_call(n)]
    try:
        exec(compile(ast.Module(body=setup, type_ignores=[]), "<tests>", "exec"), ns)
    except BaseException as e:
        emit(t="load_error", phase="tests", testLine=tests_line(e.__traceback__), **exc_info(e))
        finish()
    scope = dict(ns)
    param = check.args.args[0].arg if check.args.args else "candidate"
    scope[param] = ns[ENTRY]
    body = [n for n in check.body if not isinstance(n, ast.Return)]
else:
    scope = ns
    body = list(tree.body)
scope["__tg_cmp"] = __tg_cmp
scope["__tg_val"] = __tg_val

total = sum(1 for n in body if has_assert(n))
emit(t="total", n=total)
for node in body:
    is_test = has_assert(node)
    name = ASSERTS[node.lineno]["src"] if isinstance(node, ast.Assert) else short(
        ast.get_source_segment(TESTS, node) or "line %d" % node.lineno, 200)
    if is_test:
        emit(t="start", name=name, line=node.lineno)
    try:
        exec(compile(ast.Module(body=[node], type_ignores=[]), "<tests>", "exec"), scope)
        if is_test:
            emit(t="test", name=name, ok=True)
    except AssertionError as e:
        line = tests_line(e.__traceback__) or node.lineno
        test = ASSERTS.get(line, {}).get("src", name)
        emit(t="test", name=test, ok=False, message=explain(line, e), line=line)
    except BaseException as e:
        info = exc_info(e)
        where = " at line %d of the solution" % info["line"] if info.get("line") else ""
        emit(t="test", name=name, ok=False, line=tests_line(e.__traceback__) or node.lineno,
             message="raised %s: %s%s" % (info["type"], info["message"], where), exception=info)
finish()
`;
