import Foundation
import HER2Model
import Support

/// The documents of one `her2mri predict`, written beside prediction.json (into the prediction's
/// staging folder, so they land together or not at all): report.pdf, hl7.xml, hl7.er7 and
/// report.dcm.
///
/// The key images are the prediction's `KeyImages` (the lesion's largest slice on the early
/// subtraction and T2, cut by the chain); without them (features from the cache) the panel says
/// why it is empty. report.dcm gets a Study Instance UID derived from the patient and study,
/// since NIfTI studies carry none.
public enum PredictionDocuments {
    /// Renders and writes the four documents into `folder`; returns their file names.
    public static func write(prediction: Prediction, manifest: StudyManifest, model: ModelArtifact, into folder: URL,
                             reportTime: Date = Date(), templates: ReportTemplates = .standard) throws -> [String] {
        let input = PatientReportInput(prediction: prediction, manifest: manifest, model: ModelSummary(artifact: model),
                                       keyImages: prediction.keyImages.map { KeyImage.pair($0, templates: templates) } ?? [],
                                       reportTime: reportTime)
        let files = try PatientDocuments.render(input, dicomStudy: nil, templates: templates)
        for file in files {
            try AtomicFile.write(file.data, to: folder.appendingPathComponent(file.name))
        }
        return files.map(\.name)
    }
}
