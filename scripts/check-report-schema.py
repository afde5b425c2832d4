#!/usr/bin/env python3
"""Validates Amana verification reports against spec/verification-report.schema.json.

    scripts/check-report-schema.py SCHEMA REPORT...

Prints one line per report: "ok REPORT", or "invalid REPORT: <where>: <why>" naming the first error found (errors are
ordered by their place in the document, so the same report always names the same error). Exits 0 when every report is
valid, 1 when any is invalid, 2 on a usage error or an unreadable schema or report. Runs with the project's .venv
(`make test` installs jsonschema there through scripts/install-deps.sh).
"""
import json
import sys

try:
    import jsonschema
except ImportError:
    sys.stderr.write("check-report-schema: error: the jsonschema module is missing\n"
                     "check-report-schema: hint: run scripts/install-deps.sh test, then use .venv/bin/python3\n")
    sys.exit(2)


def load(path, what):
    try:
        with open(path, "rb") as handle:
            return json.loads(handle.read().decode("utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as error:
        sys.stderr.write("check-report-schema: error: cannot read the %s %s: %s\n" % (what, path, error))
        sys.exit(2)


def location(error):
    path = "".join("[%d]" % part if isinstance(part, int) else "/" + str(part) for part in error.absolute_path)
    return path or "/"


def main(arguments):
    if len(arguments) < 2:
        sys.stderr.write("check-report-schema: error: usage: check-report-schema.py SCHEMA REPORT...\n")
        return 2
    schema = load(arguments[0], "schema")
    validator_class = jsonschema.validators.validator_for(schema)
    try:
        validator_class.check_schema(schema)
    except jsonschema.exceptions.SchemaError as error:
        sys.stderr.write("check-report-schema: error: %s is not a valid schema: %s\n" % (arguments[0], error.message))
        return 2
    validator = validator_class(schema, format_checker=validator_class.FORMAT_CHECKER)
    invalid = 0
    for path in arguments[1:]:
        report = load(path, "report")
        errors = sorted(validator.iter_errors(report), key=lambda e: (list(map(str, e.absolute_path)), e.message))
        if errors:
            invalid += 1
            first = errors[0]
            print("invalid %s: %s: %s" % (path, location(first), first.message))
        else:
            print("ok %s" % path)
    return 1 if invalid else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
