"""Inserting many rows given as plain tuples, for the few hot paths that write tens of
thousands at once (the deadline sweep).

Django's bulk_create spends most of its time building a model instance for each row and
preparing each field; here the caller passes values already in database form. One
statement per page of rows on PostgreSQL (psycopg2's execute_values), executemany
elsewhere. Defaults such as auto_now_add are not applied: pass every column.
"""

from django.db import connection


def insert_rows(
    model, fields: list[str], rows: list[tuple], *, ignore_conflicts=False, page_size: int = 5000
) -> None:
    if not rows:
        return
    quote = connection.ops.quote_name
    columns = ", ".join(quote(model._meta.get_field(name).column) for name in fields)
    conflict = " ON CONFLICT DO NOTHING" if ignore_conflicts else ""
    table = quote(model._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            from psycopg2.extras import execute_values

            # Names come from model metadata, quoted; every value is a parameter.
            sql = f"INSERT INTO {table} ({columns}) VALUES %s{conflict}"  # noqa: S608
            execute_values(cursor.cursor, sql, rows, page_size=page_size)
            if connection.queries_logged:  # counted like the ORM's (tests, DEBUG)
                pages = -(-len(rows) // page_size)
                connection.queries_log.extend({"sql": sql, "time": "0.000"} for _ in range(pages))
        else:  # SQLite (development, tests): values prepared as the ORM would
            prepared = [model._meta.get_field(name) for name in fields]
            rows = [
                tuple(f.get_db_prep_save(v, connection) for f, v in zip(prepared, row, strict=True))
                for row in rows
            ]
            marks = ", ".join(["%s"] * len(fields))
            sql = f"INSERT INTO {table} ({columns}) VALUES ({marks}){conflict}"  # noqa: S608
            cursor.executemany(sql, rows)
