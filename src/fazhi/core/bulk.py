"""Inserting many already-validated rows fast: one COPY on PostgreSQL, bulk_create elsewhere.

For imports that checked every row before writing any (design.md §4): the rows go in without save(), signals
or returned ids. A row names the fields it sets by attname (`agency_id`, not `agency`); every other field
takes its default, prepared once for the whole insert rather than once per row as bulk_create does.
"""

from django.db import connections, router


def bulk_insert(model, rows: list[dict]) -> int:
    """Insert `rows` (dicts of attname → value, all with the same keys) into `model`'s table; returns the count."""
    if not rows:
        return 0
    connection = connections[router.db_for_write(model)]
    if connection.vendor != "postgresql":
        model.objects.bulk_create([model(**row) for row in rows], batch_size=1000)
        return len(rows)
    given = set(rows[0])
    fields = [f for f in model._meta.concrete_fields if not f.generated and (not f.primary_key or f.attname in given)]
    if any(getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False) for f in fields):
        raise ValueError(f"{model.__name__}: bulk_insert does not fill auto_now fields")
    unknown = given - {f.attname for f in fields}
    if unknown:
        raise ValueError(f"{model.__name__} has no field {', '.join(sorted(unknown))}")
    template = [None if f.attname in given else f.get_db_prep_save(f.get_default(), connection) for f in fields]
    varying = [(i, f.attname, f.get_db_prep_save) for i, f in enumerate(fields) if f.attname in given]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cur, cur.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for row in rows:
            values = template.copy()
            for i, name, prepare in varying:
                values[i] = prepare(row[name], connection)
            copy.write_row(values)
    return len(rows)


def existing_values(model, field: str, values) -> set:
    """Which of `values` the column `field` of `model` already holds. On PostgreSQL one query with `= ANY(array)`:
    an IN list of thousands of placeholders costs more to build and send than the lookup itself."""
    values = list(values)
    if not values:
        return set()
    connection = connections[router.db_for_read(model)]
    if connection.vendor != "postgresql":
        found = set()
        for start in range(0, len(values), 900):  # SQLite's bound-parameter limit
            chunk = values[start : start + 900]
            found.update(model.objects.filter(**{f"{field}__in": chunk}).values_list(field, flat=True))
        return found
    column = connection.ops.quote_name(model._meta.get_field(field).column)
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cur:
        cur.execute(f"SELECT {column} FROM {table} WHERE {column} = ANY(%s)", [values])
        return {row[0] for row in cur.fetchall()}
