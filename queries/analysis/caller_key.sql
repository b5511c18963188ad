-- Who called, as one key per person: the macro caller_key(phone) turns a stored 联系电话
-- into the number it names, however it was typed, or NULL when the order left none (未留电话).
-- Full-width digits and plus signs count as ASCII; only the first number of a cell holding
-- several (138.../139..., 、 , ; as separators) counts; everything but digits and + is
-- dropped (spaces, dashes, brackets); a country code +86 or 0086 is removed (a landline
-- then gets back its trunk 0: +86 731 84012345 is 073184012345), and so is a bare 86
-- before an eleven-digit mobile number (8613812345678). A cell without a digit is no phone.
-- Each step is applied once, nested, so that a row costs a few regular expressions (a
-- macro's argument is repeated wherever it is used).
-- A number already written as a plain eleven-digit mobile number (most of them) is its
-- own key and skips the expressions.
-- Per connection (a temp macro), for the stored facts (facts.sql); no parameters.
CREATE OR REPLACE TEMP MACRO caller_key(phone) AS
CASE WHEN regexp_full_match(phone, '1[0-9]{10}') THEN phone ELSE nullif(replace(
    -- +86 alone or before a number already written with its trunk 0 (+86 0731 ...).
    regexp_replace(
        -- 86 before a mobile number, without + or 00.
        regexp_replace(
            -- +86 / 0086 before a landline: the trunk 0 comes back.
            regexp_replace(
                -- +86 / 0086 before a mobile number.
                regexp_replace(
                    regexp_replace(
                        regexp_extract(
                            translate(coalesce(phone, ''), '０１２３４５６７８９＋', '0123456789+'),
                            '^[^/、,，;；|]*'
                        ),
                        '[^0-9+]', '', 'g'
                    ),
                    '^(?:\+|00)86(1\d{10})$', '\1'
                ),
                '^(?:\+|00)86([2-9]\d*)$', '0\1'
            ),
            '^86(1\d{10})$', '\1'
        ),
        '^(?:\+|00)86(0\d*)?$', '\1'
    ),
    '+', ''), '') END;
