"""The Splink side of the benchmarks: the same task, data and columns, timed as a whole
process by the caller (bench/run.sh), scored by bench/evaluate.py.

    python splink_run.py febrl4 LEFT.csv RIGHT.csv OUT_PAIRS.csv
    python splink_run.py dedupe INPUT.csv OUT_CLUSTERS.csv
    python splink_run.py person INPUT.csv OUT_CLUSTERS.csv

`febrl4` is Splink's own "detailed" FEBRL4 model from its documentation. `dedupe` is the
same kind of model for FEBRL-like deduplication. `person` gives Splink the columns of
the registry's `person` preset with its usual name, date and set comparisons.
"""

import sys

import duckdb
import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator, block_on


def read(con, path):
    # Every column as text, trimmed, empty as NULL (FEBRL pads values with spaces).
    rel = con.read_csv(path, all_varchar=True, header=True)
    cols = [c.strip() for c in rel.columns]
    exprs = ", ".join(f"nullif(trim(\"{c}\"), '') as \"{c.strip()}\"" for c in rel.columns)
    return con.sql(f"select {exprs} from rel").arrow().read_all(), cols


def febrl4(left, right, out):
    con = duckdb.connect()
    a, _ = read(con, left)
    b, _ = read(con, right)
    blocking = [
        block_on("given_name", "surname"),
        "l.given_name = r.surname and l.surname = r.given_name",
        block_on("date_of_birth"),
        block_on("soc_sec_id"),
        block_on("state", "address_1"),
        block_on("street_number", "address_1"),
        block_on("postcode"),
    ]
    settings = SettingsCreator(
        unique_id_column_name="rec_id",
        link_type="link_only",
        blocking_rules_to_generate_predictions=blocking,
        comparisons=[
            cl.NameComparison("given_name").configure(term_frequency_adjustments=True),
            cl.NameComparison("surname").configure(term_frequency_adjustments=True),
            cl.DateOfBirthComparison("date_of_birth", input_is_string=True,
                                     datetime_format="%Y%m%d", invalid_dates_as_null=True),
            cl.DamerauLevenshteinAtThresholds("soc_sec_id", [1, 2]),
            cl.ExactMatch("street_number").configure(term_frequency_adjustments=True),
            cl.DamerauLevenshteinAtThresholds("postcode", [1, 2]).configure(
                term_frequency_adjustments=True),
        ],
    )
    db = DuckDBAPI()
    linker = Linker([db.register(a), db.register(b)], settings)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("soc_sec_id"), block_on("given_name", "surname", "date_of_birth")], recall=0.8)
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6)
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("date_of_birth"), estimate_without_term_frequencies=True)
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("postcode"), estimate_without_term_frequencies=True)
    pred = linker.inference.predict(threshold_match_probability=0.01)
    rel = pred.as_duckdbpyrelation()
    con2 = db._con if hasattr(db, "_con") else None
    df = rel.select("rec_id_l as left_id, rec_id_r as right_id, match_probability")
    df.write_csv(out)


def dedupe(path, out):
    con = duckdb.connect()
    t, _ = read(con, path)
    blocking = [
        block_on("given_name", "surname"),
        block_on("soc_sec_id"),
        block_on("date_of_birth", "substr(surname, 1, 2)"),
        block_on("date_of_birth", "substr(given_name, 1, 2)"),
        block_on("postcode", "substr(surname, 1, 3)"),
        block_on("address_1", "street_number", "substr(given_name, 1, 1)"),
        block_on("given_name", "postcode"),
    ]
    settings = SettingsCreator(
        unique_id_column_name="rec_id",
        link_type="dedupe_only",
        blocking_rules_to_generate_predictions=blocking,
        comparisons=[
            cl.NameComparison("given_name").configure(term_frequency_adjustments=True),
            cl.NameComparison("surname").configure(term_frequency_adjustments=True),
            cl.DamerauLevenshteinAtThresholds("date_of_birth", [1, 2]),
            cl.DamerauLevenshteinAtThresholds("soc_sec_id", [1, 2]),
            cl.ExactMatch("street_number").configure(term_frequency_adjustments=True),
            cl.JaroWinklerAtThresholds("address_1", [0.9]).configure(
                term_frequency_adjustments=True),
            cl.DamerauLevenshteinAtThresholds("postcode", [1]).configure(
                term_frequency_adjustments=True),
            cl.JaroWinklerAtThresholds("suburb", [0.9]).configure(
                term_frequency_adjustments=True),
        ],
    )
    db = DuckDBAPI()
    linker = Linker(db.register(t), settings)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("soc_sec_id"), block_on("given_name", "surname", "date_of_birth")], recall=0.8)
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6)
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("date_of_birth"), estimate_without_term_frequencies=True)
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("given_name", "surname"), estimate_without_term_frequencies=True)
    pred = linker.inference.predict(threshold_match_probability=0.5)
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
        pred, threshold_match_probability=0.5)
    clusters.as_duckdbpyrelation().select("rec_id as id, cluster_id").write_csv(out)


def person(path, out):
    con = duckdb.connect()
    t, cols = read(con, path)
    rel = con.sql("""select *,
        lower(coalesce(full_name, trim(coalesce(given_name, '') || ' ' || coalesce(family_name, '')))) as name_all,
        string_split(coalesce(nationalities, ''), ';') as nat_list,
        try_cast(substr(birth_date, 1, 4) as integer) as birth_year
        from t""")
    t = rel.arrow().read_all()
    blocking = [
        block_on("given_name"),
        block_on("family_name"),
        block_on("name_all"),
        block_on("birth_year", "sex"),
        block_on("father_name"),
    ]
    settings = SettingsCreator(
        unique_id_column_name="id",
        link_type="dedupe_only",
        blocking_rules_to_generate_predictions=blocking,
        comparisons=[
            cl.JaroWinklerAtThresholds("name_all", [0.92, 0.82, 0.7]),
            cl.AbsoluteDateDifferenceAtThresholds if False else
            cl.LevenshteinAtThresholds("birth_date", [1, 3]),
            cl.ExactMatch("sex"),
            cl.ArrayIntersectAtSizes("nat_list", [1]),
            cl.ExactMatch("place").configure(term_frequency_adjustments=True),
            cl.JaroWinklerAtThresholds("father_name", [0.9]),
        ],
    )
    db = DuckDBAPI()
    linker = Linker(db.register(t), settings)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("name_all", "birth_year")], recall=0.3)
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6)
    try:
        linker.training.estimate_parameters_using_expectation_maximisation(
            block_on("birth_year"), estimate_without_term_frequencies=True)
        linker.training.estimate_parameters_using_expectation_maximisation(
            block_on("name_all"), estimate_without_term_frequencies=True)
    except ValueError as e:
        # On some camp lists Splink's EM drives an m probability below what a float
        # holds and stops; its result is then no links at all (each record alone).
        print(f"splink: EM failed ({e}); every record is its own cluster", file=sys.stderr)
        con.sql("select id, id as cluster_id from t").write_csv(out)
        return
    pred = linker.inference.predict(threshold_match_probability=0.01)
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
        pred, threshold_match_probability=0.5)
    clusters.as_duckdbpyrelation().select("id, cluster_id").write_csv(out)


if __name__ == "__main__":
    cmd, *args = sys.argv[1:]
    {"febrl4": febrl4, "dedupe": dedupe, "person": person}[cmd](*args)
