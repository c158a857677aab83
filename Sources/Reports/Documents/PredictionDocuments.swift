import Foundation
import HER2Model
import Support

/// The documents of one `her2mri predict`, written beside prediction.json (into the prediction's
/// staging folder, so they land together or not at all): report.pdf, hl7.xml, hl7.er7 and
/// report.dcm.
///
/// Key images are not drawn yet: the prediction does not carry the aligned volumes out of the
/// chain (the report says so by leaving the panel empty). report.dcm gets a Study Instance UID
/// derived from the patient and study, since NIfTI studies carry none.
public enum PredictionDocuments {
    /// Renders and writes the four documents into `folder`; returns their file names.
    public static func write(prediction: Prediction, manifest: StudyManifest, model: ModelArtifact, into folder: URL,
                             reportTime: Date = Date(), templates: ReportTemplates = .standard) throws -> [String] {
        let input = PatientReportInput(prediction: prediction, manifest: manifest, model: ModelSummary(artifact: model),
                                       keyImages: [], reportTime: reportTime)
        let files = try PatientDocuments.render(input, dicomStudy: nil, templates: templates)
        for file in files {
            try AtomicFile.write(file.data, to: folder.appendingPathComponent(file.name))
        }
        return files.map(\.name)
    }
}
