//! The organisation CSV import's parser (`app::org::import`).
//! Moved from `app/src/org/import.rs`'s unit tests.

use app::org::import::{CsvError, IMPORT_COLUMNS, MAX_IMPORT_ROWS, parse_csv};

const HEADER: &str = "legal_name;legal_form;country;enterprise_number;street;postal_code;city;contact_email;\
                      mission_category;holder_name;holder_email";

#[test]
fn semicolons_quotes_and_column_order_are_handled() {
    let text = format!(
        "\u{feff}{HEADER}\n\"Maison de quartier; Nord\";asbl;BE;0202.239.951;Rue A 1;1000;Bruxelles;a@x.be;youth;Ann;ann@x.be\n\n"
    );
    let rows = parse_csv(&text).unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].line, 2);
    assert_eq!(rows[0].form.legal_name, "Maison de quartier; Nord");
    assert_eq!(rows[0].form.enterprise_number, "0202.239.951");

    let reordered = "holder_email,holder_name,mission_category,contact_email,city,postal_code,street,\
                     enterprise_number,country,legal_form,legal_name\nb@x.be,Bob,health,c@x.be,Namur,5000,Rue B 2,\
                     0202239951,BE,fondation,Fondation B";
    let rows = parse_csv(reordered).unwrap();
    assert_eq!(rows[0].form.legal_name, "Fondation B");
    assert_eq!(rows[0].form.holder_email, "b@x.be");
}

#[test]
fn a_file_without_its_columns_or_rows_is_refused_as_a_whole() {
    assert_eq!(parse_csv(""), Err(CsvError::Empty));
    assert_eq!(parse_csv(HEADER), Err(CsvError::Empty));
    assert_eq!(
        parse_csv("legal_name,country\nX,BE"),
        Err(CsvError::MissingColumns(
            IMPORT_COLUMNS
                .iter()
                .filter(|c| !["legal_name", "country"].contains(c))
                .map(|c| c.to_string())
                .collect()
        ))
    );
    let many = format!(
        "{HEADER}\n{}",
        "a;asbl;BE;1;s;1000;c;e@x.be;youth;h;h@x.be\n".repeat(MAX_IMPORT_ROWS + 1)
    );
    assert_eq!(parse_csv(&many), Err(CsvError::TooManyRows));
}
