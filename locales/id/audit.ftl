# Peristiwa log audit, seperti yang ditampilkan daftar aktivitas (Keamanan dan Kredensial), log
# audit admin dan filternya (src/domain/audit.rs). Istilah: lihat locales/GLOSSARY.md.

## Peristiwa, satu per jenis
audit-setup-completed = Penyiapan organisasi selesai
audit-org-created = Organisasi dibuat
audit-user-created = Akun dibuat
audit-sign-in = Masuk
audit-sign-in-failed = Percobaan masuk gagal
audit-sign-in-locked = Proses masuk dikunci setelah terlalu banyak percobaan
audit-sign-out = Keluar
audit-sessions-revoked = Keluar dari sesi lain
audit-password-changed = Kata sandi diubah
audit-password-reset-requested = Permintaan atur ulang kata sandi
audit-password-reset = Kata sandi diatur ulang
audit-invitation-accepted = Undangan diterima
audit-email-verification-sent = Email verifikasi dikirim
audit-email-verified = Alamat email terverifikasi
audit-email-code-sent = Kode verifikasi dikirim
audit-email-code-wrong = Kode verifikasi yang dimasukkan salah
audit-email-code-accepted = Kode verifikasi diterima
audit-two-factor-enabled = Autentikasi dua faktor diaktifkan
audit-two-factor-disabled = Autentikasi dua faktor dinonaktifkan
audit-recovery-key-downloaded = Kunci Pemulihan diunduh
audit-recovery-key-regenerated = Kunci Pemulihan dibuat ulang
audit-recovery-key-used = Masuk dengan Kunci Pemulihan
audit-recovery-key-wrong = Kunci Pemulihan yang dimasukkan salah
audit-second-factor-locked = Langkah autentikasi dua faktor dikunci setelah terlalu banyak percobaan
audit-authenticator-setup-started = Penyiapan aplikasi autentikator dimulai
audit-authenticator-added = Aplikasi autentikator disiapkan
audit-authenticator-removed = Aplikasi autentikator dihapus
audit-authenticator-code-accepted = Kode aplikasi autentikator diterima
audit-authenticator-code-wrong = Kode aplikasi autentikator yang dimasukkan salah
audit-authenticator-replay-refused = Kode aplikasi autentikator yang sudah dipakai ditolak
audit-authenticator-clock-skew = Kode aplikasi autentikator dari perangkat dengan waktu yang salah
audit-security-key-added = Kunci keamanan atau kunci sandi ditambahkan
audit-security-key-renamed = Kunci keamanan atau kunci sandi diganti namanya
audit-security-key-removed = Kunci keamanan atau kunci sandi dihapus
audit-security-key-accepted = Kunci keamanan atau kunci sandi digunakan
audit-security-key-refused = Jawaban kunci keamanan atau kunci sandi ditolak
audit-policy-changed = Kebijakan organisasi diubah
audit-org-locale-changed = Bahasa dan zona waktu organisasi diubah
audit-org-remember-changed = Pengaturan “Ingat perangkat ini” diubah
audit-device-remembered = Perangkat diingat
audit-device-forgotten = Perangkat dilupakan
audit-new-device-alerted = Peringatan perangkat baru dikirim
audit-incomplete-sign-in-alerted = Peringatan proses masuk yang tidak selesai dikirim
audit-not-me-reported = “Ini bukan saya” dilaporkan
audit-member-invited = Anggota diundang
audit-two-factor-reset = Autentikasi dua faktor diatur ulang oleh admin
audit-role-changed = Peran diubah
audit-member-disabled = Anggota dinonaktifkan
audit-member-enabled = Anggota diaktifkan
audit-application-created = Aplikasi didaftarkan
audit-application-secret-rotated = Rahasia aplikasi diganti
audit-application-deleted = Aplikasi dihapus
audit-app-sign-in = Masuk ke aplikasi
audit-consent-given = Persetujuan diberikan kepada aplikasi
audit-consent-withdrawn = Persetujuan untuk aplikasi dicabut
audit-token-replay = Kode masuk atau token yang sudah dipakai diajukan lagi; akses aplikasi dicabut
audit-signing-key-rotated = Kunci penandatanganan token ID diganti

## Jenis yang tidak dikenal versi ini (disimpan oleh versi yang lebih baru)
audit-unknown-event = Peristiwa akun
