//! The privacy module's file names inside the downloads' zips.

use app::privacy::export::safe_file_name;

#[test]
fn file_names_cannot_climb_out_of_their_folder() {
    assert_eq!(safe_file_name("../../etc/passwd"), "_.._etc_passwd");
    assert_eq!(safe_file_name("statuts 2026.pdf"), "statuts_2026.pdf");
    assert_eq!(safe_file_name("Statuts modifiés.pdf"), "Statuts_modifi_s.pdf");
    assert_eq!(safe_file_name(".."), "document");
    assert_eq!(safe_file_name(""), "document");
    assert_eq!(safe_file_name(&"a".repeat(500)).len(), 100);
}
