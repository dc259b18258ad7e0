/**
 * AVETMISS 8.0 national record layouts (sms-formats.md C.2). Positions are 1-based as in the spec.
 * Only fields the reference confirms [C] are listed: a reader that validated the [I] middle block of
 * NAT00010 would refuse the short NAT00010A-style records some vendors write.
 *
 * `required` fields must be present and non-blank; a record that ends before one of them is
 * truncated. Everything after the last listed field is trailing extra data (state extensions).
 */
export type FieldType = 'A' | 'N' | 'D';

export interface FieldSpec {
  key: string;
  /** The spec's name, used in error messages ("field Date of birth"). */
  label: string;
  start: number;
  length: number;
  type: FieldType;
  required?: boolean;
}

export type NatFileId =
  | 'NAT00010'
  | 'NAT00020'
  | 'NAT00030'
  | 'NAT00030A'
  | 'NAT00060'
  | 'NAT00080'
  | 'NAT00085'
  | 'NAT00090'
  | 'NAT00100'
  | 'NAT00120'
  | 'NAT00130';

export interface RecordLayout {
  file: NatFileId;
  fields: readonly FieldSpec[];
  /** The national record length: anything beyond it is extra data (warned about, then ignored). */
  recordLength: number;
}

type Row = [key: string, label: string, start: number, length: number, type: FieldType, required?: 'required'];

function layout(file: NatFileId, rows: readonly Row[]): RecordLayout {
  const fields = rows.map(([key, label, start, length, type, required]) => ({
    key,
    label,
    start,
    length,
    type,
    required: required === 'required',
  }));
  const last = fields[fields.length - 1] as FieldSpec;
  return { file, fields, recordLength: last.start + last.length - 1 };
}

const R = 'required' as const;

export const NAT00010 = layout('NAT00010', [
  ['toid', 'Training organisation identifier', 1, 10, 'A', R],
  ['name', 'Training organisation name', 11, 100, 'A', R],
]);

export const NAT00020 = layout('NAT00020', [
  ['toid', 'Training organisation identifier', 1, 10, 'A', R],
  ['locationId', 'Training organisation delivery location identifier', 11, 10, 'A', R],
  ['name', 'Delivery location name', 21, 100, 'A'],
  ['postcode', 'Postcode', 121, 4, 'A'],
  ['state', 'State identifier', 125, 2, 'N'],
  ['suburb', 'Address location - suburb, locality or town', 127, 50, 'A'],
  ['country', 'Country identifier', 177, 4, 'A'],
]);

const PROGRAM_ROWS: Row[] = [
  ['programId', 'Program identifier', 1, 10, 'A', R],
  ['name', 'Program name', 11, 100, 'A', R],
  ['nominalHours', 'Nominal hours', 111, 4, 'N'],
];

export const NAT00030 = layout('NAT00030', PROGRAM_ROWS);

export const NAT00030A = layout('NAT00030A', [
  ...PROGRAM_ROWS,
  ['recognition', 'Program recognition identifier', 115, 2, 'N'],
  ['level', 'Program level of education identifier', 117, 3, 'N'],
  ['fieldOfEducation', 'Program field of education identifier', 120, 4, 'N'],
  ['anzsco', 'ANZSCO identifier', 124, 6, 'A'],
  ['vetFlag', 'VET flag', 130, 1, 'A'],
]);

export const NAT00060 = layout('NAT00060', [
  ['subjectId', 'Subject identifier', 1, 12, 'A', R],
  ['name', 'Subject name', 13, 100, 'A', R],
  ['fieldOfEducation', 'Subject field of education identifier', 113, 6, 'A'],
  ['vetFlag', 'VET flag', 119, 1, 'A'],
  ['nominalHours', 'Nominal hours', 120, 4, 'N'],
]);

export const NAT00080 = layout('NAT00080', [
  ['clientId', 'Client identifier', 1, 10, 'A', R],
  ['name', 'Name for encryption', 11, 60, 'A', R],
  ['schoolLevel', 'Highest school level completed identifier', 71, 2, 'A'],
  ['gender', 'Gender', 73, 1, 'A'],
  ['birthDate', 'Date of birth', 74, 8, 'D'],
  ['postcode', 'Postcode', 82, 4, 'A'],
  ['indigenous', 'Indigenous status identifier', 86, 1, 'A'],
  ['language', 'Language identifier', 87, 4, 'A'],
  ['labourForce', 'Labour force status identifier', 91, 2, 'A'],
  ['countryOfBirth', 'Country identifier', 93, 4, 'A'],
  ['disabilityFlag', 'Disability flag', 97, 1, 'A'],
  ['priorEducationFlag', 'Prior educational achievement flag', 98, 1, 'A'],
  ['atSchoolFlag', 'At school flag', 99, 1, 'A'],
  ['suburb', 'Address location - suburb, locality or town', 100, 50, 'A'],
  ['usi', 'Unique student identifier', 150, 10, 'A'],
  ['state', 'State identifier', 160, 2, 'N'],
  ['building', 'Address building/property name', 162, 50, 'A'],
  ['unit', 'Address flat/unit details', 212, 30, 'A'],
  ['streetNumber', 'Address street number', 242, 15, 'A'],
  ['streetName', 'Address street name', 257, 70, 'A'],
  ['surveyContact', 'Survey contact status', 327, 1, 'A'],
]);

export const NAT00085 = layout('NAT00085', [
  ['clientId', 'Client identifier', 1, 10, 'A', R],
  ['title', 'Client title', 11, 4, 'A'],
  ['givenName', 'Client first given name', 15, 40, 'A'],
  ['familyName', 'Client last name', 55, 40, 'A'],
  ['building', 'Address building/property name', 95, 50, 'A'],
  ['unit', 'Address flat/unit details', 145, 30, 'A'],
  ['streetNumber', 'Address street number', 175, 15, 'A'],
  ['streetName', 'Address street name', 190, 70, 'A'],
  ['postalBox', 'Address postal delivery box', 260, 22, 'A'],
  ['postalSuburb', 'Address postal - suburb, locality or town', 282, 50, 'A'],
  ['postcode', 'Postcode', 332, 4, 'A'],
  ['state', 'State identifier', 336, 2, 'N'],
  ['phoneHome', 'Telephone number - home', 338, 20, 'A'],
  ['phoneWork', 'Telephone number - work', 358, 20, 'A'],
  ['mobile', 'Telephone number - mobile', 378, 20, 'A'],
  ['email', 'Email address', 398, 80, 'A'],
  ['emailAlt', 'Email address - alternative', 478, 80, 'A'],
]);

export const NAT00090 = layout('NAT00090', [
  ['clientId', 'Client identifier', 1, 10, 'A', R],
  ['disabilityType', 'Disability type identifier', 11, 2, 'N', R],
]);

export const NAT00100 = layout('NAT00100', [
  ['clientId', 'Client identifier', 1, 10, 'A', R],
  ['priorEducation', 'Prior educational achievement identifier', 11, 3, 'N', R],
]);

export const NAT00120 = layout('NAT00120', [
  ['toid', 'Training organisation identifier', 1, 10, 'A', R],
  ['locationId', 'Training organisation delivery location identifier', 11, 10, 'A', R],
  ['clientId', 'Client identifier', 21, 10, 'A', R],
  ['subjectId', 'Subject identifier', 31, 12, 'A', R],
  ['programId', 'Program identifier', 43, 10, 'A'],
  ['startDate', 'Activity start date', 53, 8, 'D', R],
  ['endDate', 'Activity end date', 61, 8, 'D', R],
  ['deliveryMode', 'Delivery mode identifier', 69, 3, 'A'],
  ['outcome', 'Outcome identifier - national', 72, 2, 'N', R],
  ['fundingSource', 'Funding source - national', 74, 2, 'N'],
  ['commencing', 'Commencing program identifier', 76, 1, 'N'],
  ['trainingContract', 'Training contract identifier', 77, 10, 'A'],
  ['apprenticeClientId', 'Client identifier - apprenticeships', 87, 10, 'A'],
  ['studyReason', 'Study reason identifier', 97, 2, 'A'],
  ['vetInSchools', 'VET in schools flag', 99, 1, 'A'],
  ['specificFunding', 'Specific funding identifier', 100, 10, 'A'],
  ['schoolType', 'School type identifier', 110, 2, 'A'],
  ['rtoOutcome', 'Outcome identifier - training organisation', 112, 3, 'A'],
  ['stateFunding', 'Funding source - state training authority', 115, 3, 'A'],
  ['tuitionFee', 'Client tuition fee', 118, 5, 'N'],
  ['feeExemption', 'Fee exemption/concession type identifier', 123, 2, 'A'],
  ['purchasingContract', 'Purchasing contract identifier', 125, 12, 'A'],
  ['purchasingSchedule', 'Purchasing contract schedule identifier', 137, 3, 'A'],
  ['hoursAttended', 'Hours attended', 140, 4, 'N'],
  ['associatedCourse', 'Associated course identifier', 144, 10, 'A'],
  ['scheduledHours', 'Scheduled hours', 154, 4, 'N'],
  ['predominantMode', 'Predominant delivery mode', 158, 1, 'A'],
]);

export const NAT00130 = layout('NAT00130', [
  ['toid', 'Training organisation identifier', 1, 10, 'A', R],
  ['programId', 'Program identifier', 11, 10, 'A', R],
  ['clientId', 'Client identifier', 21, 10, 'A', R],
  ['completedDate', 'Date program completed', 31, 8, 'D'],
  ['issuedFlag', 'Issued flag', 39, 1, 'A'],
]);

export const LAYOUTS: Readonly<Record<NatFileId, RecordLayout>> = {
  NAT00010,
  NAT00020,
  NAT00030,
  NAT00030A,
  NAT00060,
  NAT00080,
  NAT00085,
  NAT00090,
  NAT00100,
  NAT00120,
  NAT00130,
};

/**
 * `nat00080.TXT` or `NAT00080` → NAT00080; not a NAT file → undefined. Names are case-insensitive
 * in practice (C.1), and some SMSs write them without the `.txt`.
 */
export function natFileIdOf(fileName: string): NatFileId | undefined {
  const match = /^(nat\d{5}a?)(\.txt)?$/i.exec(fileName);
  const id = match?.[1]?.toUpperCase();
  return id !== undefined && id in LAYOUTS ? (id as NatFileId) : undefined;
}

export function fieldOf(layout: RecordLayout, key: string): FieldSpec {
  const field = layout.fields.find((f) => f.key === key);
  if (!field) throw new Error(`${layout.file} has no field ${key}`);
  return field;
}
