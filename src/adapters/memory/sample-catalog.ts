/**
 * A small AHSP-style catalog written for this project (own wording and illustrative coefficients, not the
 * official SNI figures), so that a fresh `npm start` without a database answers searches at once.
 * Import the real standard (`POST /ahsp/import`) for production use.
 */
import type { Category, Component, JobWithComponents } from '../../ports/catalog.js'

export const SAMPLE_SOURCE = 'AHSP Contoh'

type Row = [Category, string, string, string, string]

const TK = {
  pekerja: ['TK', 'L.01', 'Pekerja', 'OH'],
  tukangBatu: ['TK', 'L.02', 'Tukang batu', 'OH'],
  tukangKayu: ['TK', 'L.03', 'Tukang kayu', 'OH'],
  tukangBesi: ['TK', 'L.04', 'Tukang besi', 'OH'],
  tukangCat: ['TK', 'L.05', 'Tukang cat', 'OH'],
  kepalaTukang: ['TK', 'L.06', 'Kepala tukang', 'OH'],
  mandor: ['TK', 'L.07', 'Mandor', 'OH'],
} as const

const tk = (k: keyof typeof TK, coef: string): Row => [...TK[k], coef] as Row
const bhn = (code: string, desc: string, unit: string, coef: string): Row => ['BHN', code, desc, unit, coef]
const alt = (code: string, desc: string, unit: string, coef: string): Row => ['ALT', code, desc, unit, coef]

function job(code: string, name: string, unit: string, classification: string, rows: Row[]): JobWithComponents {
  const components: Component[] = rows.map(([category, itemCode, description, u, coefficient]) => ({
    category,
    itemCode,
    description,
    unit: u,
    coefficient,
  }))
  return { source: SAMPLE_SOURCE, code, name, unit, classification, subClassification: '', components }
}

const crew = (p: string, t: keyof typeof TK, tc: string, kt: string, m: string): Row[] => [
  tk('pekerja', p),
  tk(t, tc),
  tk('kepalaTukang', kt),
  tk('mandor', m),
]

export const SAMPLE_JOBS: JobWithComponents[] = [
  job('1.1.1', 'Pembersihan lapangan dan perataan tanah', 'm2', 'Persiapan', [tk('pekerja', '0.060'), tk('mandor', '0.003')]),
  job('1.1.2', 'Pemasangan bouwplank untuk pengukuran dan patok', "m'", 'Persiapan', [
    ...crew('0.100', 'tukangKayu', '0.100', '0.010', '0.005'),
    bhn('B.101', 'Kayu kaso 5/7', 'm3', '0.012'),
    bhn('B.102', 'Papan kayu 2/20', 'm3', '0.007'),
    bhn('B.103', 'Paku biasa 2"–5"', 'kg', '0.020'),
  ]),
  job('1.1.3', 'Pembuatan pagar sementara dari seng gelombang setinggi 2 m', "m'", 'Persiapan', [
    ...crew('0.400', 'tukangKayu', '0.200', '0.020', '0.020'),
    bhn('B.101', 'Kayu kaso 5/7', 'm3', '0.030'),
    bhn('B.104', 'Seng gelombang BJLS 0,3 mm', 'lembar', '1.500'),
    bhn('B.103', 'Paku biasa 2"–5"', 'kg', '0.060'),
  ]),
  job('1.2.1', 'Galian tanah biasa sedalam sampai 1 m secara manual', 'm3', 'Tanah', [tk('pekerja', '0.750'), tk('mandor', '0.025')]),
  job('1.2.2', 'Galian tanah keras sedalam sampai 1 m secara manual', 'm3', 'Tanah', [tk('pekerja', '1.050'), tk('mandor', '0.035')]),
  job('1.2.3', 'Galian tanah biasa secara mekanis dengan excavator', 'm3', 'Tanah', [
    tk('pekerja', '0.040'),
    tk('mandor', '0.004'),
    alt('E.201', 'Excavator 0,8 m3', 'jam', '0.045'),
  ]),
  job('1.3.1', 'Urugan kembali tanah bekas galian dengan pemadatan', 'm3', 'Tanah', [
    tk('pekerja', '0.330'),
    tk('mandor', '0.011'),
    alt('E.202', 'Stamper kuda', 'jam', '0.150'),
  ]),
  job('1.3.2', 'Urugan pasir di bawah pondasi dan lantai', 'm3', 'Tanah', [
    tk('pekerja', '0.300'),
    tk('mandor', '0.010'),
    bhn('B.201', 'Pasir urug', 'm3', '1.200'),
  ]),
  job('2.1.1', "Pembuatan beton mutu f'c 10 MPa untuk lantai kerja secara manual", 'm3', 'Beton', [
    ...crew('1.650', 'tukangBatu', '0.275', '0.028', '0.083'),
    bhn('B.301', 'Semen Portland', 'kg', '247'),
    bhn('B.302', 'Pasir beton', 'kg', '869'),
    bhn('B.303', 'Kerikil maks. 30 mm', 'kg', '999'),
    bhn('B.304', 'Air', 'liter', '215'),
  ]),
  job('2.1.2', "Pembuatan beton mutu f'c 20 MPa dengan molen", 'm3', 'Beton', [
    ...crew('1.000', 'tukangBatu', '0.250', '0.025', '0.100'),
    bhn('B.301', 'Semen Portland', 'kg', '352'),
    bhn('B.302', 'Pasir beton', 'kg', '731'),
    bhn('B.303', 'Kerikil maks. 30 mm', 'kg', '1031'),
    bhn('B.304', 'Air', 'liter', '215'),
    alt('E.301', 'Molen beton 0,35 m3', 'jam', '0.250'),
    alt('E.302', 'Vibrator beton', 'jam', '0.250'),
  ]),
  job('2.1.3', "Pengecoran beton siap pakai (ready mix) f'c 25 MPa", 'm3', 'Beton', [
    ...crew('0.500', 'tukangBatu', '0.150', '0.015', '0.050'),
    bhn('B.305', "Beton ready mix f'c 25 MPa", 'm3', '1.020'),
    alt('E.303', 'Concrete pump', 'jam', '0.080'),
    alt('E.302', 'Vibrator beton', 'jam', '0.100'),
  ]),
  job('2.2.1', 'Pembesian dengan besi beton polos atau ulir', '10 kg', 'Beton', [
    ...crew('0.070', 'tukangBesi', '0.070', '0.007', '0.004'),
    bhn('B.401', 'Besi beton', 'kg', '10.500'),
    bhn('B.402', 'Kawat beton', 'kg', '0.150'),
  ]),
  job('2.2.2', 'Pemasangan bekisting kayu untuk sloof', 'm2', 'Beton', [
    ...crew('0.520', 'tukangKayu', '0.260', '0.026', '0.026'),
    bhn('B.101', 'Kayu kaso 5/7', 'm3', '0.015'),
    bhn('B.102', 'Papan kayu 2/20', 'm3', '0.020'),
    bhn('B.103', 'Paku biasa 2"–5"', 'kg', '0.300'),
    bhn('B.403', 'Minyak bekisting', 'liter', '0.100'),
  ]),
  job('2.2.3', 'Pemasangan bekisting kayu untuk kolom', 'm2', 'Beton', [
    ...crew('0.660', 'tukangKayu', '0.330', '0.033', '0.033'),
    bhn('B.101', 'Kayu kaso 5/7', 'm3', '0.020'),
    bhn('B.106', 'Multiplek 9 mm', 'lembar', '0.350'),
    bhn('B.103', 'Paku biasa 2"–5"', 'kg', '0.400'),
  ]),
  job('3.1.1', 'Pasangan pondasi batu kali campuran 1 PC : 4 PP', 'm3', 'Pasangan', [
    ...crew('1.500', 'tukangBatu', '0.750', '0.075', '0.075'),
    bhn('B.501', 'Batu kali belah', 'm3', '1.200'),
    bhn('B.301', 'Semen Portland', 'kg', '163'),
    bhn('B.502', 'Pasir pasang', 'm3', '0.520'),
  ]),
  job('3.2.1', 'Pemasangan dinding bata merah tebal ½ batu campuran 1 PC : 4 PP', 'm2', 'Pasangan', [
    ...crew('0.300', 'tukangBatu', '0.100', '0.010', '0.015'),
    bhn('B.503', 'Bata merah', 'buah', '70'),
    bhn('B.301', 'Semen Portland', 'kg', '11.500'),
    bhn('B.502', 'Pasir pasang', 'm3', '0.043'),
  ]),
  job('3.2.2', 'Pemasangan dinding bata ringan tebal 10 cm dengan perekat instan', 'm2', 'Pasangan', [
    ...crew('0.200', 'tukangBatu', '0.100', '0.010', '0.010'),
    bhn('B.504', 'Bata ringan 60x20x10 cm', 'buah', '8.750'),
    bhn('B.505', 'Perekat bata ringan', 'kg', '4.250'),
  ]),
  job('3.3.1', 'Plesteran dinding tebal 15 mm campuran 1 PC : 4 PP', 'm2', 'Pasangan', [
    ...crew('0.300', 'tukangBatu', '0.150', '0.015', '0.015'),
    bhn('B.301', 'Semen Portland', 'kg', '6.240'),
    bhn('B.502', 'Pasir pasang', 'm3', '0.024'),
  ]),
  job('3.3.2', 'Acian dinding dengan semen', 'm2', 'Pasangan', [
    ...crew('0.200', 'tukangBatu', '0.100', '0.010', '0.010'),
    bhn('B.301', 'Semen Portland', 'kg', '3.250'),
  ]),
  job('4.1.1', 'Pengecatan tembok baru interior, satu lapis dasar dan dua lapis penutup', 'm2', 'Pengecatan', [
    ...crew('0.020', 'tukangCat', '0.063', '0.006', '0.003'),
    bhn('B.601', 'Cat dasar tembok', 'kg', '0.100'),
    bhn('B.602', 'Cat tembok interior', 'kg', '0.260'),
    bhn('B.603', 'Plamir tembok', 'kg', '0.100'),
  ]),
  job('4.1.2', 'Pengecatan tembok eksterior tahan cuaca, dua lapis', 'm2', 'Pengecatan', [
    ...crew('0.025', 'tukangCat', '0.070', '0.007', '0.003'),
    bhn('B.604', 'Cat tembok eksterior', 'kg', '0.300'),
  ]),
  job('4.1.3', 'Pengecatan permukaan kayu dengan cat minyak', 'm2', 'Pengecatan', [
    ...crew('0.070', 'tukangCat', '0.009', '0.001', '0.003'),
    bhn('B.605', 'Cat minyak', 'kg', '0.170'),
    bhn('B.606', 'Amplas', 'lembar', '0.200'),
  ]),
  job('5.1.1', 'Pemasangan lantai keramik 40x40 cm', 'm2', 'Penutup lantai', [
    ...crew('0.700', 'tukangBatu', '0.350', '0.035', '0.035'),
    bhn('B.701', 'Keramik 40x40 cm', 'buah', '6.630'),
    bhn('B.301', 'Semen Portland', 'kg', '10'),
    bhn('B.502', 'Pasir pasang', 'm3', '0.045'),
    bhn('B.702', 'Semen warna (nat)', 'kg', '1.300'),
  ]),
  job('5.1.2', 'Pemasangan keramik dinding 20x25 cm', 'm2', 'Penutup lantai', [
    ...crew('0.900', 'tukangBatu', '0.450', '0.045', '0.045'),
    bhn('B.703', 'Keramik dinding 20x25 cm', 'buah', '21'),
    bhn('B.301', 'Semen Portland', 'kg', '9.300'),
  ]),
  job('6.1.1', 'Pemasangan rangka atap baja ringan', 'm2', 'Atap', [
    ...crew('0.100', 'tukangBesi', '0.100', '0.010', '0.005'),
    bhn('B.801', 'Profil baja ringan C75', "m'", '3.500'),
    bhn('B.802', 'Sekrup baja ringan', 'buah', '18'),
    alt('E.801', 'Bor listrik', 'jam', '0.100'),
  ]),
  job('6.1.2', 'Pemasangan penutup atap genteng metal', 'm2', 'Atap', [
    ...crew('0.060', 'tukangKayu', '0.060', '0.006', '0.003'),
    bhn('B.803', 'Genteng metal berpasir', 'lembar', '1.700'),
    bhn('B.802', 'Sekrup baja ringan', 'buah', '6'),
  ]),
  job('7.1.1', 'Pemasangan pipa PVC diameter ¾ inci untuk air bersih', "m'", 'Plambing', [
    tk('pekerja', '0.036'),
    tk('tukangBatu', '0.060'),
    tk('mandor', '0.002'),
    bhn('B.901', 'Pipa PVC ¾"', "m'", '1.200'),
    bhn('B.902', 'Perlengkapan pipa (fitting)', 'ls', '0.350'),
  ]),
]
