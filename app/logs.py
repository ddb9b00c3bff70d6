"""Tracebacks without what the request carried: where an error happened, never its values.

An exception's message can hold whatever a request sent: a database error names the values
of the row it refused (PostgreSQL's "Key (mrn)=(...) already exists", SQLAlchemy's
parameters), a ValueError quotes the field it could not read. A traceback in a log keeps
each frame (file, line, function, source line) and the exception's type; its message is
withheld. The engine hides bound parameters too (config: hide_parameters), so an error
shown or logged elsewhere carries none.
"""

import logging
import re
import traceback

WITHHELD = "(message withheld: it may carry patient data)"
CAUSE = "\nThe above exception was the direct cause of the following exception:\n\n"
CONTEXT = "\nDuring handling of the above exception, another exception occurred:\n\n"


def _name(exc: BaseException) -> str:
    kind = type(exc)
    module = kind.__module__
    return kind.__qualname__ if module == "builtins" else f"{module}.{kind.__qualname__}"


def scrubbed(exc: BaseException) -> str:
    """A traceback of `exc` and the exceptions it was raised from, messages withheld."""
    chain: list[tuple[BaseException, str]] = []
    seen: set[int] = set()
    link = ""
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        chain.append((current, link))
        if current.__cause__ is not None:
            current, link = current.__cause__, CAUSE
        elif current.__context__ is not None and not current.__suppress_context__:
            current, link = current.__context__, CONTEXT
        else:
            current = None
    parts = []
    for index, (item, _) in enumerate(reversed(chain)):
        if index:
            parts.append(chain[len(chain) - index][1])
        parts.append("Traceback (most recent call last):\n")
        parts.extend(traceback.format_tb(item.__traceback__))
        parts.append(f"{_name(item)}: {WITHHELD}\n")
    return "".join(parts).rstrip("\n")


# A line of a traceback already turned into text (the development server logs it so):
# its frames are indented, the chain's headings are fixed; anything else is a message.
_FRAME = re.compile(r"^(Traceback \(most recent call last\):|  |\s*\^+\s*$|$)")
_HEADING = (CAUSE.strip(), CONTEXT.strip())
_EXCEPTION = re.compile(r"^([A-Za-z_][\w.]*)(:|$)")


def scrubbed_text(text: str) -> str:
    """`text` with the messages of any traceback in it withheld; other text unchanged."""
    start = text.find("Traceback (most recent call last):")
    if start < 0:
        return text
    lines, in_message = [], False
    for line in text[start:].splitlines():
        if line.strip() in _HEADING:
            lines.append(line)
            in_message = False
        elif in_message:
            continue  # a message may run over many lines, up to the next heading
        elif _FRAME.match(line):
            lines.append(line)
        else:
            found = _EXCEPTION.match(line)
            if found:
                lines.append(f"{found.group(1)}: {WITHHELD}")
            in_message = True
    return text[:start] + "\n".join(lines)


def _scrub(record: logging.LogRecord) -> logging.LogRecord:
    if record.exc_info and record.exc_info[1] is not None:
        record.exc_text = scrubbed(record.exc_info[1])
        record.exc_info = None  # no handler formats the original again
    if isinstance(record.msg, str):
        record.msg = scrubbed_text(record.msg)
    if isinstance(record.args, tuple):
        record.args = tuple(scrubbed_text(a) if isinstance(a, str) else a for a in record.args)
    return record


def withhold_exception_messages() -> None:
    """Make every log record, of any logger, with its tracebacks' messages withheld.

    A filter sees only the records of the logger it is on, not its children's
    (sqlalchemy.engine.Engine, sqlalchemy.pool.impl.QueuePool, ...): the record factory sees
    them all. Installed once per process; a second app adds nothing.
    """
    made = logging.getLogRecordFactory()
    if getattr(made, "withholds", False):
        return

    def factory(*args, **kwargs):
        return _scrub(made(*args, **kwargs))

    factory.withholds = True
    logging.setLogRecordFactory(factory)
