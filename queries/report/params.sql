-- The parameters of one report, as a one-row temp table every report query reads.
-- Parameters: $1 = period start, $2 = period end (= the as-of instant T), $3 = previous
-- period start, $4 = green, $5 = yellow, $6 = red, $7 = quiet_days, $8 = first day of the
-- 12-month trend.
CREATE OR REPLACE TEMP TABLE report_params AS
SELECT
    $1::TIMESTAMP AS period_start,
    $2::TIMESTAMP AS period_end,
    $3::TIMESTAMP AS prev_start,
    $4::INTEGER AS green,
    $5::INTEGER AS yellow,
    $6::INTEGER AS red,
    $7::INTEGER AS quiet_days,
    $8::TIMESTAMP AS trend_start;
