// Package report writes the committee's periodic report, for the meeting
// file, as a DOCX or a PDF: a Vietnamese administrative document as
// Nghị định 30/2020/NĐ-CP presents one (A4, Times New Roman or its metric
// twin Liberation Serif, the standard margins, the issuing body's and the
// national motto's blocks, "Số: …/symbol" left blank, the place and date,
// "BÁO CÁO" and its subject), with sections I–V, the recipients, the
// signer and an annex listing every task.
//
// Its figures are those of a tasks.Digest that the caller computes at the
// period's cut-off (tasks.Period.Cutoff), so that the report and /digest
// never disagree. It imports tasks and nothing else of the project; the
// DOCX is written with the standard library, the PDF with
// codeberg.org/go-pdf/fpdf.
package report
