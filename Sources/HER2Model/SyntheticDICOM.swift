import Foundation
import Volumes
struct SyntheticDICOM { let patient: SyntheticPatient
  func write(t1: Volume, t2: Volume, dce: Volume, into folder: URL) throws {} }
