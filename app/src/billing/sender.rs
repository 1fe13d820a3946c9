//! The seam to a Peppol access point. Sending over the Peppol network needs a contract with a
//! certified access point, which stays outside the portal: the portal hands each issued
//! e-document to an [`EDocumentSender`]. The one provided drops the files into a folder
//! (`PEPPOL_OUTBOX_DIR`) that an access point's connector picks up; another sender (an access
//! point's HTTP API) implements the same trait.

use std::path::PathBuf;

/// Hands one UBL document to whatever carries it to the Peppol network.
pub trait EDocumentSender: Send + Sync {
    /// `number`: "2026-000001" or "NC-2026-000001"; `xml`: the UBL text as issued.
    fn send(&self, number: &str, xml: &str) -> std::io::Result<()>;
}

/// Writes `<number>.xml` into a folder, atomically (a temporary name, then a rename), so a
/// connector watching the folder never reads half a file.
pub struct FolderDrop {
    pub folder: PathBuf,
}

impl EDocumentSender for FolderDrop {
    fn send(&self, number: &str, xml: &str) -> std::io::Result<()> {
        let safe: String = number
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '_' })
            .collect();
        std::fs::create_dir_all(&self.folder)?;
        let partial = self.folder.join(format!(".{safe}.xml.part"));
        std::fs::write(&partial, xml)?;
        std::fs::rename(&partial, self.folder.join(format!("{safe}.xml")))
    }
}

/// One pass: claims the documents not yet sent and hands each to `sender`. A document whose
/// hand-over fails is released for the next pass; the others go on.
pub async fn send_pending(state: &crate::state::AppState, sender: &dyn EDocumentSender) -> Result<usize, sqlx::Error> {
    let now = crate::db::now();
    let mut tx = state.db.begin().await?;
    let claimed = crate::billing::db::claim_unsent(&mut tx, 50, now).await?;
    tx.commit().await?;
    let mut sent = 0;
    for (id, number, xml) in claimed {
        match sender.send(&number, &xml) {
            Ok(()) => sent += 1,
            Err(error) => {
                tracing::warn!(%number, %error, "e-document not handed to the access point; retried next pass");
                let mut tx = state.db.begin().await?;
                crate::billing::db::release(&mut tx, &id).await?;
                tx.commit().await?;
            }
        }
    }
    Ok(sent)
}
