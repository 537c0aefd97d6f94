"""The two ends of a graded call: the student's function in its kernel, the verdict outside.

When autograding, the notebook runs in a sandboxed kernel (grader/instructor/sandbox.py)
that holds no reference implementation of the assignment, no hidden trial and no
expected value. Once the notebook has run, the grader outside runs every exercise's
check (public and hidden trials, gradients, properties) with a stand-in for the
student's function: each call is sent into the kernel, where ``serve`` makes it with
``runner.call`` and sends back only the return value (grader/wire.py). The verdict is
computed outside, from those values. All the student's code can do is return values,
and returning correct values requires computing them.

Kernel side:   serve(address)           one connection, until the grader says "done"
Grader side:   Kernel(sock).function(exercise_id)   a callable to hand to checking._run
               Kernel(sock).answered(question_id)   the answer a question was given

Which function is the student's: the one their notebook last passed to
``check(id, fn, hidden=True)`` (checking.GRADED), else the kernel's global of that name.
A function argument of a call (an objective, a cost to differentiate) stays outside:
the kernel gets a stand-in that asks the grader to call it (wire.py's callbacks).
"""
from __future__ import annotations

import builtins
import socket

from . import wire
from .runner import NotImplementedYet, StudentError, TimedOut

MESSAGE = 2000  # characters of a kernel's error message kept (it is the student's text)


# --- kernel side ---------------------------------------------------------------------------

def serve(address: str) -> None:
    """Answer the grader's calls over the Unix socket at ``address`` until it is done."""
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.connect(address)
    try:
        while True:
            request = wire.receive(sock, lambda number: _stand_in(sock, number))
            if request.get("op") == "answered":
                from .questions import ANSWERED

                value = ANSWERED.get(str(request.get("question")))
                sock.sendall(wire.dumps({"op": "return", "value": value if isinstance(
                    value, (str, float)) else None}))
                continue
            if request.get("op") != "call":
                return
            answer = _answer(sock, request["exercise"], request["args"])
            try:
                message = wire.dumps(answer)
            except RecursionError:  # nested past Python's recursion limit: it cannot be sent
                message = wire.dumps({"op": "error", "message": f"{request['exercise']} returned a "
                                      f"value nested too deeply to read"})
            sock.sendall(message)
    except (wire.WireError, OSError):
        return  # the grader is gone: nothing to answer
    finally:
        sock.close()


def _answer(sock, exercise: str, args) -> dict:
    from . import checking, runner

    fn = checking.GRADED.get(exercise)
    if fn is None:
        try:
            fn = get_ipython().user_ns.get(exercise)  # noqa: F821 - IPython's builtin in a kernel
        except NameError:
            fn = None
    if fn is None:
        return {"op": "missing"}
    try:
        value = runner.call(fn, args, name=exercise)
    except NotImplementedYet as e:
        return {"op": "error", "not_implemented": True, "message": str(e)}
    except StudentError as e:
        return {"op": "error", "message": str(e), "timeout": isinstance(e, TimedOut)}
    return {"op": "return", "value": value}


def _stand_in(sock, number: int):
    """The kernel's stand-in for the grader's callback ``number``: calling it asks the
    grader to call the real function, and returns its value or raises its exception."""
    def call_outside(*a, **kw):
        wire.send(sock, {"op": "callback", "id": number, "args": list(a), "kwargs": kw})
        reply = wire.receive(sock)
        if reply.get("op") == "raise":
            kind = getattr(builtins, str(reply.get("type")), None)
            if not (isinstance(kind, type) and issubclass(kind, Exception)):
                kind = RuntimeError
            raise kind(reply.get("message", ""))
        return reply.get("value")

    return call_outside


# --- grader side ---------------------------------------------------------------------------

class Kernel:
    """The connection to one kernel's ``serve``. Calls that go wrong (the kernel stops
    answering, or sends what is not a reply) end it: every later call fails at once,
    with the reason, instead of waiting for its own timeout."""

    def __init__(self, sock: socket.socket, timeout: float):
        self.sock, self.timeout, self.broken = sock, timeout, ""

    def function(self, exercise: str):
        def student_function(**args):
            return self.call(exercise, args)

        student_function.remote = True  # runner.call: the time limit is kept in the kernel
        student_function.__name__ = exercise
        return student_function

    def call(self, exercise: str, args: dict):
        if self.broken:
            raise StudentError(self.broken)
        callbacks: list = []
        try:
            self.sock.settimeout(self.timeout)
            wire.send(self.sock, {"op": "call", "exercise": exercise, "args": args}, callbacks)
            while True:
                reply = wire.receive(self.sock)
                op = reply.get("op") if isinstance(reply, dict) else None
                if op != "callback":
                    break
                self._run_callback(callbacks, reply)
        except socket.timeout:
            self.broken = (f"{exercise} did not return within {self.timeout:.0f} s: an infinite "
                           f"loop? (the notebook's kernel stopped answering, so the checks after "
                           f"this one could not run)")
            raise TimedOut(self.broken) from None
        except (wire.WireError, OSError) as e:
            self.broken = f"the notebook's kernel stopped answering during a call of {exercise} ({e})"
            raise StudentError(self.broken) from None
        if op == "return":
            return reply.get("value")
        if op == "missing":
            raise NotImplementedYet(f"{exercise} is not defined in the notebook (its cell did not run, "
                                    f"or the function has another name)")
        if op == "error":
            message = str(reply.get("message", ""))[:MESSAGE]
            kind = NotImplementedYet if reply.get("not_implemented") else \
                TimedOut if reply.get("timeout") else StudentError
            raise kind(message)
        self.broken = f"the notebook's kernel sent something other than an answer to a call of {exercise}"
        raise StudentError(self.broken)

    def answered(self, question: str):
        """The answer the notebook gave to a question (its canonical form), or None. Only a
        string or a number is taken: anything else the kernel sends counts as no answer."""
        if self.broken:
            return None
        try:
            self.sock.settimeout(self.timeout)
            wire.send(self.sock, {"op": "answered", "question": question})
            reply = wire.receive(self.sock)
        except (socket.timeout, wire.WireError, OSError) as e:
            self.broken = f"the notebook's kernel stopped answering when asked for {question} ({e})"
            return None
        value = reply.get("value") if isinstance(reply, dict) and reply.get("op") == "return" else None
        return value if isinstance(value, (str, float)) and not isinstance(value, bool) else None

    def _run_callback(self, callbacks, request):
        try:
            fn = callbacks[int(request["id"])]
            value = fn(*request.get("args", []), **request.get("kwargs", {}))
            wire.send(self.sock, {"op": "result", "value": value})
        except (wire.WireError, OSError):
            raise
        except Exception as e:  # noqa: BLE001 - the student's call of the callback failed: theirs
            wire.send(self.sock, {"op": "raise", "type": type(e).__name__, "message": str(e)})

    def done(self):
        try:
            self.sock.settimeout(5)
            wire.send(self.sock, {"op": "done"})
        except OSError:
            pass
        finally:
            self.sock.close()
