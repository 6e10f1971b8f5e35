-- The distinct sentences (10+ characters) of each parsed report, as 64-bit hashes: the compact input of the
-- text_repeated_from_prior_year check, which compares an agency's report with its report of the year before.
-- Sentences end at 。!? or a line break; translate + string_split is the regex split [。!?\n] without a regex.
-- Each text becomes its list of hashes inside one row (list functions, no unnest and group by): at 100,000
-- reports the group by of ~10 million sentences ran out of dbt's 1 GB while other models ran beside it.
-- Incremental by report: splitting every text is the costly part, and it depends on the report alone.
{{ refresh_by_report() }}

with reports as (
    {{ rows_of_changed_reports('stg_parsed__reports', ['report_id', 'normalized_text'], "parse_status <> 'rejected'") }}
),

hashed as (
    select
        report_id,
        list_distinct(
            list_transform(
                list_filter(
                    string_split(translate(normalized_text, e'!?\n', '。。。'), '。'),
                    sentence -> length(trim(sentence)) >= 10
                ),
                sentence -> hash(trim(sentence))
            )
        ) as sentence_hashes
    from reports
),

final as (
    select
        report_id,
        sentence_hashes
    from hashed
    where len(sentence_hashes) > 0
)

select * from final
